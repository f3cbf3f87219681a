/**
 * Which shard a process is, and which contiguous part of the work (twins of a run,
 * replicates of a power study) it covers. The parts are as even as can be: the first
 * `total mod count` shards take one more. A shard's part depends only on (total, index,
 * count), and its rows only on its part, since every draw is keyed by (seed, purpose, id).
 */

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export interface ShardPart {
  /** the first twin id (1-based) or replicate (0-based) of the part */
  first: number;
  count: number;
}

/** Bad --shard input, or shards that cannot be merged: the message says which and why. */
export class ShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardError';
  }
}

/**
 * The array-job engines' index variables, and the number to add to make it 1-based.
 * Slurm's is as the array was declared (`--array=1-N`); Kubernetes Indexed Jobs and AWS
 * Batch array jobs count from 0.
 */
export const SHARD_INDEX_VARIABLES = [
  { name: 'SLURM_ARRAY_TASK_ID', offset: 0 },
  { name: 'JOB_COMPLETION_INDEX', offset: 1 },
  { name: 'AWS_BATCH_JOB_ARRAY_INDEX', offset: 1 }
] as const;

const MAX_SHARDS = 100_000;

/** Parses `i/n` or `auto/n` (i from the first index variable set in `env`). */
export function parseShard(text: string, env: Record<string, string | undefined>): Shard {
  const m = /^\s*(\d+|auto)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m)
    throw new ShardError(`--shard: '${text}' is not i/n or auto/n (such as 2/8: the second of 8 shards)`);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= MAX_SHARDS))
    throw new ShardError(`--shard: n must be a whole number from 1 to ${MAX_SHARDS}, not ${m[2]}`);
  let index: number;
  if (m[1] === 'auto') {
    const found = SHARD_INDEX_VARIABLES.find((v) => env[v.name] !== undefined && env[v.name] !== '');
    if (!found)
      throw new ShardError(
        `--shard auto/${count}: none of ${SHARD_INDEX_VARIABLES.map((v) => v.name).join(', ')} is set; ` +
          `give the shard as i/${count}`
      );
    const raw = env[found.name]!;
    if (!/^\d+$/.test(raw.trim()))
      throw new ShardError(`--shard auto: ${found.name}='${raw}' is not a whole number`);
    index = Number(raw) + found.offset;
    if (!(index >= 1 && index <= count))
      throw new ShardError(
        `--shard auto/${count}: ${found.name}=${raw} gives shard ${index}, outside 1…${count}` +
          (found.offset === 0 ? ` (declare the array as --array=1-${count})` : '')
      );
  } else {
    index = Number(m[1]);
    if (!(index >= 1 && index <= count))
      throw new ShardError(`--shard: shard ${m[1]} is outside 1…${count} (shards count from 1)`);
  }
  return { index, count };
}

/** The part of `total` units, numbered from `base`, that shard `index` of `count` covers. */
export function shardPart(total: number, shard: Shard, base: number): ShardPart {
  if (shard.count > total)
    throw new ShardError(
      `--shard: ${shard.count} shards is more than the ${total} ${base === 1 ? 'twins' : 'replicates'} to share out`
    );
  const size = Math.floor(total / shard.count);
  const extra = total % shard.count;
  const i = shard.index - 1;
  return { first: base + i * size + Math.min(i, extra), count: size + (i < extra ? 1 : 0) };
}
