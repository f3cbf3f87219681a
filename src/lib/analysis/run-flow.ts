import { rowsOf, sqlString, type Connector } from '../db/connector';
import { trialFlow, type TrialFlowRow } from './trial-flow';

/** One arm's box counts in a CONSORT-style diagram: its trial flow and how many were analysed. */
export interface RunFlowArm extends TrialFlowRow {
  /** Twins with a value of the primary endpoint (the first endpoint when none is primary). */
  analysed: number;
}

export interface RunFlow {
  /** Candidates drawn to fill the cohort (screening), and twins enrolled; null if the cohort is gone. */
  screened: number | null;
  enrolled: number | null;
  endpoint: string | null;
  arms: RunFlowArm[];
}

/**
 * The trial flow of replicate 0 of a complete run for its CONSORT-style diagram (Schulz,
 * Altman & Moher 2010, CONSORT 2010 statement, figure 1): screened and enrolled from the
 * run's cohort, then per arm `trialFlow`'s counts (a run whose only intercurrent event is
 * dropout has zeros elsewhere) and the twins analysed, those with a value of the primary
 * endpoint in the arm.
 */
export async function runFlow(db: Connector, runId: number): Promise<RunFlow> {
  const arms = await trialFlow(db, runId);
  // JSON is parsed here: duckdb-wasm has no JSON extension built in.
  const row = rowsOf<{
    screened: number | null;
    enrolled: number | null;
    primary: string | null;
    endpoints: string;
  }>(
    await db.query(
      `SELECT c.n_screened::DOUBLE AS screened, c.n_enrolled::DOUBLE AS enrolled, ` +
        `r.primary_endpoint AS "primary", r.endpoints FROM run r LEFT JOIN cohort c USING (cohort_id) WHERE r.run_id = ${runId}`
    )
  )[0];
  const info = {
    screened: row.screened,
    enrolled: row.enrolled,
    endpoint: row.primary ?? (JSON.parse(row.endpoints) as string[])[0] ?? null
  };
  const analysed = info.endpoint
    ? rowsOf<{ arm: string; n: number }>(
        await db.query(
          `SELECT CAST(arm AS VARCHAR) AS arm, count(value)::DOUBLE AS n FROM endpoint WHERE run_id = ${runId} ` +
            `AND replicate = 0 AND endpoint = ${sqlString(info.endpoint)} GROUP BY arm`
        )
      )
    : [];
  return {
    screened: info.screened,
    enrolled: info.enrolled,
    endpoint: info.endpoint,
    arms: arms.map((a) => ({ ...a, analysed: analysed.find((r) => r.arm === a.arm)?.n ?? 0 }))
  };
}
