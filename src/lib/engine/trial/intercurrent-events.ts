import type { CompiledIntercurrent } from './compile-intercurrent';
import { dropoutTime } from './dropout-time';
import { ruleFires } from './visit-rule';

/** When a twin discontinued (and why) and was rescued; Infinity for never. */
export interface IntercurrentTimes {
  discontinuation: number;
  /** Index into the compiled reasons; -1 without discontinuation. */
  reason: number;
  rescue: number;
}

/** What the walk reads and how it changes the twin's course. */
export interface IntercurrentCourse {
  /** Observation times and predictions after residual error (outputs × times.length). */
  times: Float64Array;
  pred: Float64Array;
  visitIndex: Int32Array;
  duration: number;
  /** Each hazard's unit-exponential draw divided by its covariate scale exp(Σ β x). */
  draws: Float64Array;
  /** Removes the doses from time t on and re-simulates `pred` in place. */
  discontinue(t: number): void;
  /** Starts rescue at time t and re-simulates `pred` in place. */
  rescue(t: number): void;
}

/**
 * A twin's treatment discontinuation and rescue, in time order along its course. At each
 * visit after baseline: a discontinuation hazard that came due since the last visit
 * discontinues at its own time; otherwise the discontinuation rules, then the rescue rule,
 * are checked on the values observed at the visit. Each event re-simulates the twin
 * (washout through its own model, or the rescue effect), so later visits see its effect;
 * a twin discontinues and is rescued at most once. A hazard that comes due after the last
 * visit but within the study still discontinues.
 */
export function intercurrentEvents(ic: CompiledIntercurrent, c: IntercurrentCourse): IntercurrentTimes {
  const { times, pred, visitIndex } = c;
  const nTT = times.length;
  const out: IntercurrentTimes = { discontinuation: Infinity, reason: -1, rescue: Infinity };
  const stop = (t: number, reason: number) => {
    out.discontinuation = t;
    out.reason = reason;
    c.discontinue(t);
  };
  let next = nextHazard(ic, c);
  for (let v = 1; v < visitIndex.length; v++) {
    const k = visitIndex[v];
    const t = times[k];
    if (out.discontinuation === Infinity && next.time < t) stop(next.time, next.reason);
    if (out.discontinuation === Infinity) {
      for (const { reason, rule } of ic.rules) {
        if (ruleFires(rule, v, pred, nTT, k)) {
          stop(t, reason);
          break;
        }
      }
    }
    if (ic.rescue && out.rescue === Infinity && ruleFires(ic.rescue.rule, v, pred, nTT, k)) {
      out.rescue = t;
      c.rescue(t);
      // An informative hazard reads the visits after the rescue anew.
      if (out.discontinuation === Infinity) next = nextHazard(ic, c);
    }
  }
  if (out.discontinuation === Infinity && next.time <= c.duration) stop(next.time, next.reason);
  return out;
}

/** The first discontinuation hazard to come due on the current course, and its reason. */
function nextHazard(ic: CompiledIntercurrent, c: IntercurrentCourse): { time: number; reason: number } {
  let time = Infinity;
  let reason = -1;
  ic.hazards.forEach((h, i) => {
    const t = dropoutTime(h.hazard, c.visitIndex, c.draws[i], c.pred, c.times);
    if (t < time) {
      time = t;
      reason = h.reason;
    }
  });
  return { time, reason };
}
