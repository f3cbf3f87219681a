import type { ObservationGrid } from './compile-schedule';

/** Dropout: a constant hazard (per hour), optionally scaled at each visit by
 * exp(coefficient × the change of an output from baseline). */
export interface Dropout {
  rate: number;
  informative?: { output: number; coefficient: number };
}

/**
 * A twin's dropout time, by inverting its cumulative hazard at the unit-exponential draw
 * `e` (the same draw in every arm of a counterfactual twin). Informative dropout's hazard
 * is piecewise constant between visits, set at each visit by the output's change from
 * baseline in the twin's predictions `pred` (outputs × `times.length`, after residual error).
 */
export function dropoutTime(
  d: Dropout,
  visitIndex: ObservationGrid['visitIndex'],
  e: number,
  pred: Float64Array,
  times: Float64Array
): number {
  if (!d.informative) return d.rate > 0 ? e / d.rate : Infinity;
  const nT = times.length;
  const o = d.informative.output;
  const base = pred[o * nT + visitIndex[0]];
  let t = 0;
  let cum = 0;
  let rate = d.rate;
  for (let v = 1; v <= visitIndex.length; v++) {
    const tNext = v < visitIndex.length ? times[visitIndex[v]] : Infinity;
    if (rate > 0 && cum + rate * (tNext - t) >= e) return t + (e - cum) / rate;
    cum += rate * (tNext - t);
    t = tNext;
    if (v < visitIndex.length) {
      rate = d.rate * Math.exp(d.informative.coefficient * (pred[o * nT + visitIndex[v]] - base));
    }
  }
  return Infinity;
}
