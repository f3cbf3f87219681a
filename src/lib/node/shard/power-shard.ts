import { rowsOf } from '../../db/connector';
import { NodeConnector } from '../../db/node-connector';
import { POWER_DATA_TABLES, type beginPower } from '../../db/power-store';
import { runPower, type PowerOptions, type PowerResult } from '../../runner/power';
import { APP_VERSION } from '../../version';
import { newManifest, type ShardManifest } from './shard-manifest';
import { shardPart, type Shard } from './shard-range';
import { writeShard } from './write-shard';

/** What a power shard's manifest carries for the merge besides its tables. */
export interface PowerShardInfo {
  /** the power row's settings, as `beginPower` takes them */
  record: Parameters<typeof beginPower>[1];
  /** what the study's summary says besides its sizes */
  result: Pick<PowerResult, 'method' | 'control' | 'analyses' | 'nullScenario'>;
}

export type PowerShardOptions = Omit<PowerOptions, 'db' | 'part' | 'precision' | 'targetPower'> & {
  shard: Shard;
  outDir: string;
};

/**
 * Runs one shard of a power study: its contiguous range of the replicates at every size,
 * through `runPower` into an in-memory database exactly as in a whole study, written as
 * Parquet (power_replicate, power_analysis, power_truth) with a manifest.
 */
export async function runPowerShard(options: PowerShardOptions): Promise<ShardManifest> {
  const started = new Date();
  const part = shardPart(options.replicates, options.shard, 0);
  const db = await NodeConnector.open();
  try {
    const result = await runPower({ ...options, db, part });
    const [row] = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT name, protocol, seed, sizes, alpha, delta, arms, method FROM power`)
    );
    const info: PowerShardInfo = {
      record: {
        name: row.name as string,
        protocol: JSON.parse(row.protocol as string),
        seed: row.seed as number,
        sizes: JSON.parse(row.sizes as string),
        alpha: row.alpha as number,
        delta: (row.delta as number | null) ?? undefined,
        arms: JSON.parse(row.arms as string),
        method: row.method as string
      },
      result: {
        method: result.method,
        control: result.control,
        analyses: result.analyses,
        nullScenario: result.nullScenario
      }
    };
    // Everything the replicates' rows depend on; not the batch or the workers, which they do not.
    const work = {
      protocol: options.protocol,
      sizes: info.record.sizes,
      replicates: options.replicates,
      alpha: info.record.alpha,
      delta: options.delta ?? null,
      analyses: result.analyses ?? null,
      nullScenario: result.nullScenario
    };
    return await writeShard(
      db,
      options.outDir,
      options.shard,
      POWER_DATA_TABLES.map((t) => ({ name: t, relation: `SELECT * EXCLUDE (power_id) FROM ${t}` })),
      {
        ...newManifest({
          kind: 'power',
          work,
          seed: options.protocol.seed,
          appVersion: APP_VERSION,
          shard: options.shard,
          range: part,
          total: options.replicates
        }),
        timings: { startedAt: started.toISOString(), simulateSeconds: result.seconds },
        info: info as unknown as Record<string, unknown>
      }
    );
  } finally {
    await db.close();
  }
}
