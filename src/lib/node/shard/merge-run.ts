import { insertCompleteCohort, type ScreeningSummary } from '../../db/cohort-store';
import type { Connector } from '../../db/connector';
import {
  beginRun,
  completeRun,
  ensureRunSchema,
  insertEstimandTruth,
  setRunCohort,
  storeProfileGrid
} from '../../db/run-store';
import { compileProtocol, EstimandTruthTotals } from '../../engine/trial';
import { estimandTruthRows, runRecord } from '../../runner/run-trial';
import { tableGlob } from './read-shards';
import type { RunShardInfo } from './run-shard';
import type { ShardManifest } from './shard-manifest';

/**
 * Creates a run, and the cohort it generated, from checked run shards (`readShards`): the
 * run row and names as `runTrial` records them, each table's rows straight from the
 * shards' Parquet files (DuckDB reads them by glob, never row by row here), the screening
 * counts and the true estimands' exact sums added up. One transaction: a failure leaves
 * nothing of the merge in the database.
 */
export async function mergeRun(
  db: Connector,
  dir: string,
  manifests: ShardManifest[]
): Promise<{ runId: number; cohortId: number }> {
  const infos = manifests.map((m) => m.info as unknown as RunShardInfo);
  const { protocol } = infos[0];
  const plan = compileProtocol(protocol);
  const truth = new EstimandTruthTotals(plan.estimands.length * plan.arms.length, protocol.replicates);
  for (const info of infos) truth.addSums(numericSums(info.truth));
  const seconds = manifests.reduce((s, m) => s + m.timings.simulateSeconds, 0);

  await ensureRunSchema(db);
  await db.exec('BEGIN TRANSACTION');
  try {
    const c = infos[0].cohort;
    const cohortId = await insertCompleteCohort(
      db,
      { name: c.name, seed: c.seed, spec: c.spec, columns: c.columns, screening: mergedScreening(infos) },
      `SELECT * FROM ${tableGlob(dir, 'twin')}`
    );
    const runId = await beginRun(db, runRecord(protocol, plan));
    await setRunCohort(db, runId, cohortId);
    for (const table of Object.keys(manifests[0].tables).filter((t) => t !== 'twin')) {
      await db.exec(
        `INSERT INTO ${table} BY NAME SELECT ${runId} AS run_id, * EXCLUDE (shard) FROM ${tableGlob(dir, table)}`
      );
    }
    if (protocol.schedule.dense !== undefined) await storeProfileGrid(db, runId, plan.times);
    await insertEstimandTruth(db, runId, estimandTruthRows(plan, truth));
    await completeRun(db, runId, seconds);
    await db.exec('COMMIT');
    return { runId, cohortId };
  } catch (e) {
    // A COMMIT that failed has rolled back already; that ROLLBACK's error must not hide e.
    await db.exec('ROLLBACK').catch(() => {});
    throw e;
  }
}

/**
 * The cohort's screening counts: each shard's added up, but for a table imported as it is,
 * whose counts are the whole table's in every shard.
 */
function mergedScreening(infos: RunShardInfo[]): ScreeningSummary {
  const enrolled = infos.reduce((s, i) => s + i.cohort.screening.enrolled, 0);
  const first = infos[0].cohort.screening;
  if (infos[0].cohort.importedAsIs) return { ...first, enrolled };
  return {
    screened: infos.reduce((s, i) => s + i.cohort.screening.screened, 0),
    enrolled,
    criteria: first.criteria.map((c, k) => ({
      label: c.label,
      failedAny: infos.reduce((s, i) => s + i.cohort.screening.criteria[k].failedAny, 0),
      failedFirst: infos.reduce((s, i) => s + i.cohort.screening.criteria[k].failedFirst, 0)
    }))
  };
}

/** A manifest's sums with the non-finite values that JSON carries as text made numbers again. */
function numericSums(state: RunShardInfo['truth']): RunShardInfo['truth'] {
  return {
    counts: state.counts,
    sums: state.sums.map((r) => r.map((s) => ({ partials: s.partials, special: Number(s.special) })))
  };
}
