import type { Connector } from '../../db/connector';
import { mergePower } from './merge-power';
import { mergeRun } from './merge-run';
import { readShards } from './read-shards';
import type { ShardManifest } from './shard-manifest';

export interface MergedShards {
  kind: ShardManifest['kind'];
  /** the run's or power study's id in the database */
  id: number;
  shards: number;
  /** twins (run) or replicates (power) */
  total: number;
  seconds: number;
}

/**
 * Merges a folder of shards into the database as one run or power study, after checking
 * that they make one whole (`readShards`); refused shards leave the database as it was.
 */
export async function mergeShards(db: Connector, dir: string): Promise<MergedShards> {
  const started = performance.now();
  const manifests = await readShards(db, dir);
  const kind = manifests[0].kind;
  const id =
    kind === 'run' ? (await mergeRun(db, dir, manifests)).runId : await mergePower(db, dir, manifests);
  return {
    kind,
    id,
    shards: manifests.length,
    total: manifests[0].total,
    seconds: (performance.now() - started) / 1000
  };
}
