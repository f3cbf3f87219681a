import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import { REPEATED_METHODS, type RepeatedMethod } from '../lib/analysis/repeated-analysis';
import { MAX_CHUNK_SIZE, MAX_REPLICATES, MAX_TWINS } from '../lib/spec/limits';
import { nonNegativeInt } from './errors';

/**
 * A whole-number option from `min` to `max`: the same limits as the spec fields it
 * overrides (spec/limits.ts), so a value refused in a file is refused here too.
 */
export function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        `${name} must be a whole number ≥ ${min}, at most ${max.toLocaleString('en-US')}`
      );
    return n;
  };
}

/** Options shared by the commands that run work on the worker pool. */
export const workersOption = () =>
  new Option('--workers <k>', 'worker threads (0 = in-process)')
    .argParser(nonNegativeInt('--workers'))
    .default(Math.min(2, availableParallelism()));

export const chunkSizeOption = () =>
  new Option('--chunk-size <n>', 'twins per chunk (results do not depend on it)').argParser(
    wholeNumber('--chunk-size', 1, MAX_CHUNK_SIZE)
  );

export const seedOption = (what: string) =>
  new Option('--seed <seed>', `random seed (overrides the ${what})`).argParser(nonNegativeInt('--seed'));

export const nOption = (what: string) =>
  new Option('--n <n>', `number of twins (overrides the ${what})`).argParser(
    wholeNumber('--n', 1, MAX_TWINS)
  );

export const replicatesOption = (description: string) =>
  new Option('--replicates <m>', description).argParser(wholeNumber('--replicates', 1, MAX_REPLICATES));

/** --analyses mmrm,mi_mar,…: repeated-measures analyses by their JSON field names (analyze, power). */
export function repeatedMethods(value: string): RepeatedMethod[] {
  const list = value.split(',').map((s) => s.trim());
  const bad = list.find((m) => !REPEATED_METHODS.includes(m as RepeatedMethod));
  if (bad !== undefined)
    throw new InvalidArgumentError(
      `'${bad}' is not an analysis; choose from ${REPEATED_METHODS.join(', ')} (comma-separated)`
    );
  return list as RepeatedMethod[];
}
