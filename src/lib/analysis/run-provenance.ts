import { rowsOf, type Connector } from '../db/connector';

/** What a report says about where a run's numbers came from, beside its protocol and seed. */
export interface RunProvenance {
  /** the app version that ran it (the run row's, not the reader's) */
  appVersion: string;
  startedAt: string;
  finishedAt: string | null;
  /** wall-clock seconds of the run */
  seconds: number | null;
}

export async function runProvenance(db: Connector, runId: number): Promise<RunProvenance> {
  const [r] = rowsOf<{ v: string; s: string; f: string | null; sec: number | null }>(
    await db.query(
      `SELECT app_version AS v, CAST(started_at AS VARCHAR) AS s, CAST(finished_at AS VARCHAR) AS f, ` +
        `seconds::DOUBLE AS sec FROM run WHERE run_id = ${runId}`
    )
  );
  if (!r) throw new Error(`there is no run ${runId}`);
  return { appVersion: r.v, startedAt: r.s, finishedAt: r.f ?? null, seconds: r.sec ?? null };
}
