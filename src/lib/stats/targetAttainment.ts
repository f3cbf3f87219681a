// Probability of target attainment: the share of subjects whose exposure metric lies in the
// target window [low, high] (both bounds inclusive), with the Wilson score interval, as R
// prop.test(sum(x >= low & x <= high), length(x), correct = FALSE)$conf.int. Used for PK/PD
// targets such as an AUC₂₄ of 400–600 mg·h/L for vancomycin (Rybak MJ et al., Am J Health Syst
// Pharm 2020;77:835–864).
import { StatsInputError } from './errors';
import { assertConfLevel, assertFiniteArray } from './validate';
import { wilsonInterval } from './wilsonInterval';

export interface TargetWindow {
  /** lower bound (inclusive); -Infinity for none */
  low: number;
  /** upper bound (inclusive); Infinity for none */
  high: number;
}

export interface TargetAttainmentResult {
  /** subjects in the window */
  attained: number;
  n: number;
  proportion: number;
  ciLow: number;
  ciHigh: number;
  confLevel: number;
}

/** Fraction of `values` within [low, high] with its Wilson interval. */
export function targetAttainment(
  values: ArrayLike<number>,
  target: TargetWindow,
  options: { confLevel?: number } = {}
): TargetAttainmentResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const { low, high } = target;
  if (Number.isNaN(low) || Number.isNaN(high) || !(low <= high) || low === Infinity || high === -Infinity) {
    throw new StatsInputError(`the target window needs low ≤ high, got [${low}, ${high}]`);
  }
  assertFiniteArray(values, 'values');
  if (values.length < 1) throw new StatsInputError('target attainment needs at least 1 value');
  let attained = 0;
  for (let i = 0; i < values.length; i++) if (values[i] >= low && values[i] <= high) attained++;
  const w = wilsonInterval(attained, values.length, { confLevel });
  return {
    attained,
    n: values.length,
    proportion: w.estimate,
    ciLow: w.ciLower,
    ciHigh: w.ciUpper,
    confLevel
  };
}
