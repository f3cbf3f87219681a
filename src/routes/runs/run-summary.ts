import { rowsOf, type Connector } from '$lib/db/connector';
import type { RunRecord } from '$lib/db/run-store';

/**
 * SQL summaries of one complete run for its page: each endpoint per arm, and the mean
 * of each observed variable at each nominal time per arm. Replicates are pooled.
 */
export interface EndpointSummary {
  endpoint: string;
  arm: string;
  /** Twins with a row for this endpoint (all replicates). */
  n: number;
  /** Rows without a value (dropped out before the endpoint visit). */
  missing: number;
  censored: number;
  mean: number | null;
  sd: number | null;
}

export async function endpointSummary(db: Connector, runId: number): Promise<EndpointSummary[]> {
  return rowsOf<EndpointSummary>(
    await db.query(
      `SELECT endpoint, arm, count(*)::DOUBLE AS n, count(*) FILTER (WHERE value IS NULL)::DOUBLE AS missing,
         count(*) FILTER (WHERE censored = 1)::DOUBLE AS censored,
         avg(value)::DOUBLE AS mean, stddev_samp(value)::DOUBLE AS sd
       FROM endpoint WHERE run_id = ${runId} GROUP BY endpoint, arm`
    )
  );
}

export interface ObservedMean {
  variable: string;
  arm: string;
  /** Nominal time (h). */
  time: number;
  mean: number;
  n: number;
}

/** Nominal observation times of a stored protocol (visits and PK samples, in hours). */
export function nominalTimes(run: RunRecord): number[] {
  const schedule = (run.protocol as { schedule?: { visits?: unknown[]; pkSampling?: unknown[] } }).schedule;
  const times = [...(schedule?.visits ?? []), ...(schedule?.pkSampling ?? [])]
    .map((v) => (typeof v === 'number' ? v : (v as { time?: unknown } | null)?.time))
    .filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * Mean of each observed variable per arm at each nominal time. Visit windows move a
 * twin's visit off its nominal time, so each observation is counted at the nearest
 * nominal time (an ASOF join on the midpoints between them).
 */
export async function observedMeans(db: Connector, run: RunRecord): Promise<ObservedMean[]> {
  // Dense profiles lie on a fixed grid: their means need no binning.
  const nominal = hasDenseProfiles(run) ? [] : nominalTimes(run);
  const edges = nominal.map((t, i) => [i === 0 ? -1e300 : (nominal[i - 1] + t) / 2, t]);
  const binned = edges.length
    ? `SELECT o.arm, o.variable, b.t AS time_h, o.value FROM observation o ` +
      `ASOF JOIN (VALUES ${edges.map(([lo, t]) => `(${lo}::DOUBLE, ${t}::DOUBLE)`).join(', ')}) b(lo, t) ` +
      `ON o.time_h >= b.lo WHERE o.run_id = ${run.runId}`
    : `SELECT arm, variable, time_h, value FROM observation WHERE run_id = ${run.runId}`;
  return rowsOf<ObservedMean>(
    await db.query(
      `SELECT variable, arm, time_h::DOUBLE AS time, avg(value)::DOUBLE AS mean, count(*)::DOUBLE AS n ` +
        `FROM (${binned}) GROUP BY variable, arm, time_h ORDER BY variable, arm, time_h`
    )
  );
}

/** Whether a run stored every twin's profile on a dense grid (`schedule.dense`). */
export function hasDenseProfiles(run: RunRecord): boolean {
  return (run.protocol as { schedule?: { dense?: unknown } }).schedule?.dense !== undefined;
}

export interface IndividualPoint {
  variable: string;
  arm: string;
  twin: number;
  time: number;
  value: number;
}

/** The profiles of the first `perArm` twins of each arm (replicate 0), for spaghetti plots. */
export async function individualProfiles(
  db: Connector,
  runId: number,
  perArm: number
): Promise<IndividualPoint[]> {
  return rowsOf<IndividualPoint>(
    await db.query(
      `WITH picked AS (SELECT twin_id, arm FROM (SELECT twin_id, arm FROM observation WHERE run_id = ${runId} ` +
        `AND replicate = 0 GROUP BY twin_id, arm) QUALIFY row_number() OVER (PARTITION BY arm ORDER BY twin_id) <= ${perArm}) ` +
        `SELECT o.variable, o.arm, o.twin_id::DOUBLE AS twin, o.time_h::DOUBLE AS time, o.value::DOUBLE AS value ` +
        `FROM observation o SEMI JOIN picked USING (twin_id, arm) WHERE o.run_id = ${runId} AND o.replicate = 0 ` +
        `ORDER BY o.variable, o.arm, o.twin_id, o.time_h`
    )
  );
}

/** Runs' arms in protocol order, for ordering table rows and plot colours. */
export const armOrder = (run: RunRecord) => (a: string, b: string) =>
  run.arms.indexOf(a) - run.arms.indexOf(b);
