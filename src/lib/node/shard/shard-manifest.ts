import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Shard, ShardPart } from './shard-range';

/**
 * A shard's manifest: what it is a part of (kind, protocol hash, seed, app version, the
 * shard and its range of twins or replicates out of the total), a row count and a hash of
 * each table's rows, timings, and what the merge needs to create the run or power study.
 * It is written last, under a temporary name then renamed: a shard without a manifest
 * did not finish.
 */
export const MANIFEST_FORMAT = 'twinbench-shard/1';

const table = z.object({ file: z.string(), rows: z.number().int().nonnegative(), hash: z.string() });

export const shardManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  kind: z.enum(['run', 'power']),
  protocolHash: z.string(),
  seed: z.number(),
  appVersion: z.string(),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }),
  range: z.object({ first: z.number().int().nonnegative(), count: z.number().int().positive() }),
  total: z.number().int().positive(),
  tables: z.record(z.string(), table),
  timings: z.object({ startedAt: z.string(), simulateSeconds: z.number(), writeSeconds: z.number() }),
  /** what the merge needs to create the result (RunShardInfo or PowerShardInfo) */
  info: z.record(z.string(), z.unknown())
});

export type ShardManifest = z.infer<typeof shardManifestSchema>;
export type ShardTableEntry = z.infer<typeof table>;

/** The manifest's path in a shard folder. */
export function manifestPath(shard: Pick<Shard, 'index'>): string {
  return `manifests/shard-${shard.index}.json`;
}

/** A table's Parquet file of one shard, in the hive-partitioned layout. */
export function tableFile(name: string, shard: Pick<Shard, 'index'>): string {
  return `${name}/shard=${shard.index}/part.parquet`;
}

/**
 * The hash that says two shards (and a shard and its merge) are of the same work: of the
 * resolved protocol with every override (n, seed, replicates, sizes) already applied.
 */
export function protocolHash(work: unknown): string {
  return createHash('sha256').update(JSON.stringify(work)).digest('hex');
}

export function newManifest(args: {
  kind: ShardManifest['kind'];
  work: unknown;
  seed: number;
  appVersion: string;
  shard: Shard;
  range: ShardPart;
  total: number;
}): Omit<ShardManifest, 'tables' | 'timings' | 'info'> {
  return {
    format: MANIFEST_FORMAT,
    kind: args.kind,
    protocolHash: protocolHash(args.work),
    seed: args.seed,
    appVersion: args.appVersion,
    shard: args.shard,
    range: args.range,
    total: args.total
  };
}
