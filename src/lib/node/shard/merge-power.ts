import { powerSizeArrays } from '../../analysis/power-size-arrays';
import type { Connector } from '../../db/connector';
import { beginPower, completePower } from '../../db/power-store';
import { operatingCharacteristics } from '../../analysis/operating-characteristics';
import { sizePower, type PowerResult } from '../../runner/power';
import { tableGlob } from './read-shards';
import type { PowerShardInfo } from './power-shard';
import type { ShardManifest } from './shard-manifest';

/**
 * Creates a power study from checked power shards (`readShards`): the power row, each
 * table's rows straight from the shards' Parquet files, and the study's summary made by
 * `runPower`'s own functions over the merged rows (in replicate order, so its figures are
 * those of the study run in one process). One transaction: a failure leaves nothing.
 */
export async function mergePower(db: Connector, dir: string, manifests: ShardManifest[]): Promise<number> {
  const { record, result } = manifests[0].info as unknown as PowerShardInfo;
  const replicates = manifests[0].total;
  const seconds = manifests.reduce((s, m) => s + m.timings.simulateSeconds, 0);
  await db.exec('BEGIN TRANSACTION');
  try {
    const powerId = await beginPower(db, record);
    for (const table of Object.keys(manifests[0].tables)) {
      await db.exec(
        `INSERT INTO ${table} BY NAME SELECT ${powerId} AS power_id, * EXCLUDE (shard) FROM ${tableGlob(dir, table)}`
      );
    }
    const analyses = result.analyses;
    const layout = {
      replicates,
      arms: record.arms,
      analyses: analyses?.methods ?? [],
      estimands: analyses?.estimands ?? []
    };
    const sizes = [];
    for (const n of record.sizes) {
      const a = await powerSizeArrays(db, powerId, n, layout);
      const size = sizePower(n, replicates, record.arms, a.counts, a.estimates);
      if (analyses)
        size.operating = operatingCharacteristics({
          n,
          replicates,
          methods: analyses.methods,
          labels: analyses.labels,
          arms: record.arms,
          estimands: analyses.estimands,
          alpha: record.alpha,
          nullScenario: result.nullScenario,
          analyses: a.analyses,
          truth: a.truth
        });
      sizes.push(size);
    }
    const summary: PowerResult = {
      powerId,
      method: result.method,
      control: result.control,
      sizes,
      analyses,
      nullScenario: result.nullScenario,
      seconds
    };
    await completePower(db, powerId, summary, seconds);
    await db.exec('COMMIT');
    return powerId;
  } catch (e) {
    // A COMMIT that failed has rolled back already; that ROLLBACK's error must not hide e.
    await db.exec('ROLLBACK').catch(() => {});
    throw e;
  }
}
