import { formatHours } from '../../spec/duration';
import type { IssueList, SpecPath } from '../../spec/issues';
import { MAX_GRID_POINTS } from '../../spec/limits';
import type { ProtocolSpec } from '../../spec/protocol-schema';

/**
 * A protocol's schedule as the observation grid every twin is simulated on: visits
 * (baseline first), PK samples and the dense profile grid, sorted and unique, with
 * the indices the simulation and NCA need. Problems are added to `issues`.
 */
export interface ObservationGrid {
  /** Observation times (h), sorted and unique. */
  times: Float64Array;
  /** Observation index of each visit; visit 0 is baseline. */
  visitIndex: Int32Array;
  visitWindow: Float64Array;
  /** Indices of the visits and PK samples; the dense grid's other indices. */
  sampledIndex: Int32Array;
  denseOnlyIndex: Int32Array;
  /** Visit times (h), baseline first. */
  visitTimes: number[];
  /** Points of the dense grid alone (0 without one). */
  densePoints: number;
}

/** Visits listed in a message: enough to see the schedule, never thousands. */
const LISTED_VISITS = 12;

export function compileSchedule(sched: ProtocolSpec['schedule'], issues: IssueList): ObservationGrid {
  const visits = sched.visits.map((v) =>
    typeof v === 'number' ? { time: v, window: 0 } : { time: v.time, window: v.window ?? 0 }
  );
  visits.forEach((v, i) => {
    if (v.time < 0) issues.add(['schedule', 'visits', i], `a visit cannot be before baseline (0)`);
    if (v.time > sched.duration) {
      issues.add(
        ['schedule', 'visits', i],
        `visit at ${formatHours(v.time)} is after the end of the study (${formatHours(sched.duration)})`
      );
    }
    if (i > 0 && !(v.time > visits[i - 1].time))
      issues.add(['schedule', 'visits', i], `visits must be in increasing time order`);
  });
  if (visits.length && visits[0].time !== 0) visits.unshift({ time: 0, window: 0 });
  sched.pkSampling.forEach((t, i) => {
    if (t < 0 || t > sched.duration)
      issues.add(
        ['schedule', 'pkSampling', i],
        `sample time ${formatHours(t)} is outside the study (0 to ${formatHours(sched.duration)})`
      );
  });
  if (sched.dense !== undefined && !(sched.dense > 0)) {
    issues.add(['schedule', 'dense'], `the profile grid must be a time greater than 0, got ${sched.dense}`);
  } else if (sched.dense !== undefined && visits.some((v) => v.window > 0)) {
    issues.add(['schedule', 'dense'], `dense profiles need fixed visit times: remove the visit windows`);
  }
  const grid = new Set<number>([...visits.map((v) => v.time), ...sched.pkSampling]);
  const sampledTimes = new Set(grid);
  let densePoints = 0;
  if (sched.dense !== undefined && sched.dense > 0) {
    const steps = Math.floor(sched.duration / sched.dense + 1e-9);
    if (steps + 1 > MAX_GRID_POINTS) {
      issues.add(
        ['schedule', 'dense'],
        `a ${formatHours(sched.dense)} grid over the study has ${(steps + 1).toLocaleString('en-US')} points; ` +
          `at most ${MAX_GRID_POINTS.toLocaleString('en-US')}`
      );
    } else {
      densePoints = steps + 1;
      for (let k = 0; k <= steps; k++) grid.add(+(k * sched.dense).toFixed(9));
    }
  }
  const times = Float64Array.from([...grid].sort((a, b) => a - b));
  const indexOf = new Map(Array.from(times, (t, k) => [t, k]));
  const indices = Array.from(times, (_, k) => k);
  return {
    times,
    visitIndex: Int32Array.from(visits, (v) => indexOf.get(v.time) ?? -1),
    visitWindow: Float64Array.from(visits, (v) => v.window),
    sampledIndex: Int32Array.from(indices.filter((k) => sampledTimes.has(times[k]))),
    denseOnlyIndex: Int32Array.from(indices.filter((k) => !sampledTimes.has(times[k]))),
    visitTimes: visits.map((v) => v.time),
    densePoints
  };
}

/** The observation index of the visit at time t (an issue at `path` if t is no visit). */
export function visitObservation(
  grid: ObservationGrid,
  t: number,
  path: SpecPath,
  issues: IssueList
): number {
  const v = grid.visitTimes.indexOf(t);
  if (v >= 0) return grid.visitIndex[v];
  const shown = grid.visitTimes.slice(0, LISTED_VISITS).map(formatHours);
  const more = grid.visitTimes.length - shown.length;
  issues.add(
    path,
    `${formatHours(t)} is not a visit (visits: ${shown.join(', ')}${more ? `, … ${more} more` : ''})`
  );
  return 0;
}
