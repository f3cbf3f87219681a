import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { nonNegativeInt, positiveInt } from './errors';

/** Options shared by the commands that run work on the worker pool. */
export const workersOption = () =>
  new Option('--workers <k>', 'worker threads (0 = in-process)')
    .argParser(nonNegativeInt('--workers'))
    .default(Math.min(2, availableParallelism()));

export const chunkSizeOption = () =>
  new Option('--chunk-size <n>', 'twins per chunk (results do not depend on it)').argParser(
    positiveInt('--chunk-size')
  );

export const seedOption = (what: string) =>
  new Option('--seed <seed>', `random seed (overrides the ${what})`).argParser(nonNegativeInt('--seed'));

export const nOption = (what: string) =>
  new Option('--n <n>', `number of twins (overrides the ${what})`).argParser(positiveInt('--n'));
