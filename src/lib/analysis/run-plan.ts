import { rowsOf, type Connector } from '../db/connector';
import type { ColumnInfo } from '../engine/cohort/plan';
import { compileProtocol, type ResolvedProtocol, type TrialPlan } from '../engine/trial';

/** A complete run as stored: its compiled protocol, its cohort and the cohort's columns. */
export interface StoredRun {
  runId: number;
  plan: TrialPlan;
  cohortId: number;
  /** The cohort's covariate columns (the twin table's own columns for this cohort). */
  columns: ColumnInfo[];
  replicates: number;
  nTwins: number;
  /** Arm, variable (model output), endpoint, event-kind and reason names by code. */
  arms: string[];
}

/** Thrown for a run that does not exist or is not complete; the message names it. */
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

/**
 * A complete run's resolved protocol compiled again (the run stores it whole, so the
 * plan is the one the run simulated), with its cohort's id and columns.
 */
export async function storedRun(db: Connector, runId: number): Promise<StoredRun> {
  if (!Number.isInteger(runId) || runId < 0)
    throw new RunNotFoundError(`run id must be a whole number (got ${runId})`);
  const [row] = rowsOf<{
    protocol: string;
    cohort_id: number | null;
    status: string;
    replicates: number;
    n_twins: number;
    arms: string;
    columns: string | null;
  }>(
    await db.query(
      `SELECT r.protocol, r.cohort_id, r.status, r.replicates, r.n_twins, r.arms, c.columns
       FROM run r LEFT JOIN cohort c USING (cohort_id) WHERE r.run_id = ${runId}`
    )
  );
  if (!row) throw new RunNotFoundError(`there is no run ${runId}`);
  if (row.status !== 'complete' || row.cohort_id === null)
    throw new RunNotFoundError(`run ${runId} is ${row.status}: only a complete run has results`);
  return {
    runId,
    plan: compileProtocol(JSON.parse(row.protocol) as ResolvedProtocol),
    cohortId: row.cohort_id,
    columns: row.columns ? (JSON.parse(row.columns) as ColumnInfo[]) : [],
    replicates: row.replicates,
    nTwins: row.n_twins,
    arms: JSON.parse(row.arms) as string[]
  };
}
