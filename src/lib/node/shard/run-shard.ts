import { compileCohort } from '../../engine/cohort';
import type { ResolvedProtocol } from '../../engine/trial';
import { listCohorts, type ScreeningSummary } from '../../db/cohort-store';
import { NodeConnector } from '../../db/node-connector';
import { RUN_DATA_TABLES } from '../../db/run-store';
import type { ColumnInfo } from '../../engine/cohort/plan';
import type { EstimandTruthState } from '../../engine/trial/estimand-truth-totals';
import type { WorkerPool } from '../../runner/pool';
import { resolveRunProtocol, runTrial, type RunTrialOptions } from '../../runner/run-trial';
import { sqlIdent } from '../../db/connector';
import { APP_VERSION } from '../../version';
import { newManifest, type ShardManifest } from './shard-manifest';
import { shardPart, type Shard } from './shard-range';
import { writeShard, type ShardTable } from './write-shard';

/** What a run shard's manifest carries for the merge besides its tables. */
export interface RunShardInfo {
  /** the resolved protocol, every override applied: what the run row records */
  protocol: ResolvedProtocol;
  cohort: {
    name: string;
    seed: number;
    spec: unknown;
    columns: ColumnInfo[];
    screening: ScreeningSummary;
    /** an imported table taken as it is: its screening counts are the whole table's, in every shard */
    importedAsIs: boolean;
  };
  /** exact sums of the twins' true estimand values, per replicate */
  truth: EstimandTruthState;
}

/**
 * The run tables a shard writes (their rows, without run_id), beside its twins; the profile
 * grid and the true estimands are the whole run's, made again by the merge.
 */
const SHARD_RUN_TABLES = RUN_DATA_TABLES.filter((t) => t !== 'estimand_truth' && t !== 'profile_grid');

export type RunShardOptions = Omit<RunTrialOptions, 'db' | 'twins'> & {
  pool: WorkerPool;
  shard: Shard;
  outDir: string;
};

/**
 * Runs one shard of a trial: its contiguous range of the twins (every replicate), simulated
 * by `runTrial` into an in-memory database exactly as in a whole run, then written as
 * Parquet with a manifest (`writeShard`). Nothing is written to the folder if the run fails.
 */
export async function runShard(options: RunShardOptions): Promise<ShardManifest> {
  const started = new Date();
  const protocol = resolveRunProtocol(options);
  const part = shardPart(protocol.cohort.n!, options.shard, 1);
  const db = await NodeConnector.open();
  try {
    const result = await runTrial({ ...options, db, twins: part });
    const [cohort] = await listCohorts(db);
    const plan = compileCohort(
      { ...protocol.cohort.spec, n: protocol.cohort.n!, seed: protocol.seed },
      protocol.imported
    );
    const info: RunShardInfo = {
      protocol,
      cohort: {
        name: cohort.name,
        seed: cohort.seed,
        spec: cohort.spec,
        columns: cohort.columns,
        screening: cohort.screening!,
        importedAsIs: protocol.imported !== undefined && !plan.bootstrap
      },
      truth: result.truth.state()
    };
    const twinColumns = cohort.columns.map((c) => sqlIdent(c.name)).join(', ');
    const tables: ShardTable[] = [
      {
        name: 'twin',
        relation: `SELECT twin_id, ${twinColumns} FROM twin WHERE cohort_id = ${result.cohortId}`
      },
      ...SHARD_RUN_TABLES.map((t) => ({ name: t, relation: `SELECT * EXCLUDE (run_id) FROM ${t}` }))
    ];
    return await writeShard(db, options.outDir, options.shard, tables, {
      ...newManifest({
        kind: 'run',
        work: protocol,
        seed: protocol.seed,
        appVersion: APP_VERSION,
        shard: options.shard,
        range: part,
        total: protocol.cohort.n!
      }),
      timings: { startedAt: started.toISOString(), simulateSeconds: result.seconds },
      info: info as unknown as Record<string, unknown>
    });
  } finally {
    await db.close();
  }
}
