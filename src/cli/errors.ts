import { InvalidArgumentError } from 'commander';
import { SpecError } from '../lib/spec/issues';
import { CohortError } from '../lib/runner/generate-cohort';
import { CohortGenerationError } from '../lib/engine/cohort';
import { TwinFileError } from '../lib/io/twin-file';
import { CancelledError } from '../lib/runner/pool';
import { TwinSimulationError } from '../lib/engine/trial';
import { parseTime } from '../lib/spec/duration';

/** Exit codes: 0 success, 1 an internal failure, 2 bad input (the user can fix it), 130 cancelled. */
export const EXIT_BAD_INPUT = 2;

export class UsageError extends Error {}

/** Errors a user can fix: printed as messages, never with a stack trace. */
function isInputError(e: unknown): e is Error {
  return (
    e instanceof SpecError ||
    e instanceof CohortError ||
    e instanceof CohortGenerationError ||
    e instanceof TwinFileError ||
    e instanceof TwinSimulationError ||
    e instanceof UsageError
  );
}

/** Runs a command action and turns its failure into a message and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof CancelledError) {
        process.stderr.write('cancelled\n');
        process.exitCode = 130;
      } else if (isInputError(e)) {
        process.stderr.write(`error: ${e.message}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      } else {
        process.stderr.write(`twinbench failed: ${e instanceof Error ? e.message : String(e)}\n`);
        if (process.env.TWINBENCH_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
        process.exitCode = 1;
      }
    }
  };
}

/** Commander argument parsers that name the option and what is allowed. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return n;
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 0`);
    return n;
  };
}

/** A positive time such as 30min, 1h or 1d (a plain number is hours), in hours. */
export function positiveTime(name: string) {
  return (value: string): number => {
    const h = parseTime(value);
    if (h === undefined || !(h > 0))
      throw new InvalidArgumentError(`${name} must be a time greater than 0, such as 30min, 1h or 1d`);
    return h;
  };
}
