import type { RunRecord } from '../db/run-store';

/** Nominal observation times of a stored protocol (visits and PK samples, in hours). */
export function nominalTimes(run: RunRecord): number[] {
  const schedule = (run.protocol as { schedule?: { visits?: unknown[]; pkSampling?: unknown[] } }).schedule;
  const times = [...(schedule?.visits ?? []), ...(schedule?.pkSampling ?? [])]
    .map((v) => (typeof v === 'number' ? v : (v as { time?: unknown } | null)?.time))
    .filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return [...new Set(times)].sort((a, b) => a - b);
}

/** Whether a run stored every twin's profile on a dense grid (`schedule.dense`). */
export function hasDenseProfiles(run: RunRecord): boolean {
  return (run.protocol as { schedule?: { dense?: unknown } }).schedule?.dense !== undefined;
}

/** The study duration of a stored protocol (hours), 0 when it names none. */
export function runDuration(run: RunRecord): number {
  const duration = (run.protocol as { schedule?: { duration?: unknown } }).schedule?.duration;
  return typeof duration === 'number' && Number.isFinite(duration) ? duration : 0;
}

/** Runs' arms in protocol order, for ordering table rows and plot colours. */
export const armOrder = (run: RunRecord) => (a: string, b: string) =>
  run.arms.indexOf(a) - run.arms.indexOf(b);

/**
 * A SELECT of (arm, variable, twin_id, time_h, value) of a run's observations with each
 * time moved to its nominal time. Visit windows move a twin's visit off its nominal time, so
 * each observation is counted at the nearest nominal time (an ASOF join on the midpoints
 * between them); dense profiles lie on a fixed grid and need no binning.
 */
export function binnedObservations(run: RunRecord): string {
  const nominal = hasDenseProfiles(run) ? [] : nominalTimes(run);
  const edges = nominal.map((t, i) => [i === 0 ? -1e300 : (nominal[i - 1] + t) / 2, t]);
  return edges.length
    ? `SELECT o.arm, o.variable, o.twin_id, b.t AS time_h, o.value FROM observation o ` +
        `ASOF JOIN (VALUES ${edges.map(([lo, t]) => `(${lo}::DOUBLE, ${t}::DOUBLE)`).join(', ')}) b(lo, t) ` +
        `ON o.time_h >= b.lo WHERE o.run_id = ${run.runId}`
    : `SELECT arm, variable, twin_id, time_h, value FROM observation WHERE run_id = ${run.runId}`;
}
