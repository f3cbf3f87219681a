import { Option } from 'commander';
import { SHARD_INDEX_VARIABLES, type Shard } from '../lib/node/shard/shard-range';
import { UsageError } from './errors';

/** --shard i/n or auto/n, for the commands whose work can be split (run, power). */
export const shardOption = (what: string) =>
  new Option(
    '--shard <i/n>',
    `run only shard i of n (a contiguous part of the ${what}) and write it as Parquet with a manifest ` +
      `to --out, for 'twinbench merge'; auto/n takes i from ${SHARD_INDEX_VARIABLES.map((v) => v.name).join(', ')}`
  );

/** A shard writes into the folder all shards share: --out is required, and --db has no use. */
export function shardOutDir(options: { shard?: string; out?: string }): string {
  if (!options.out)
    throw new UsageError(`--shard ${options.shard} needs --out <folder>: the folder every shard writes into`);
  return options.out;
}

export type { Shard };
