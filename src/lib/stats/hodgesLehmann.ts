// Hodges–Lehmann estimate of the location shift arm − control with the confidence interval
// that inverts the Wilcoxon rank-sum (Mann–Whitney) test, as R
// wilcox.test(arm, control, conf.int = TRUE, conf.level) chooses:
// - exact (both samples under 50 values, no ties; the same choice as wilcoxonRankSum): the
//   median of the m·n differences armᵢ − controlⱼ, and the interval between the differences of
//   rank qwilcox(α/2, m, n) and m·n − that + 1 (R stats:::wilcox.test.default; Bauer (1972),
//   JASA 67:687–690). When the exact distribution cannot reach the level, R reports the level
//   achieved (achievedConfLevel);
// - otherwise the normal approximation with tie and continuity corrections: the shifts d where
//   the standardised statistic W(d) of (arm − d, control) crosses ∓z₁₋α/₂ (and 0, without the
//   continuity correction, for the estimate). R finds them by uniroot with tol.root = 1e-4; here
//   W(d), a step function, is bisected to the jump itself, so results agree with R's to its
//   tolerance (and to 1e-10 with tol.root = 1e-10). Where W(d) is exactly zero on an interval,
//   R returns a point of it and this returns its midpoint.
// Reference: Hollander & Wolfe (1999), Nonparametric Statistical Methods, §4.3.
import { StatsInputError } from './errors';
import { normalQuantile } from './distributions';
import { assertConfLevel, assertFiniteArray } from './validate';
import { mannWhitneyCounts, midranks, useExactRankSum } from './wilcoxonRankSum';

export interface HodgesLehmannResult {
  /** median of the pairwise differences arm − control (R's "difference in location") */
  estimate: number;
  ciLow: number;
  ciHigh: number;
  /** the level asked for */
  confLevel: number;
  /** the level R reports: lower than asked when the exact distribution cannot reach it */
  achievedConfLevel: number;
  /** exact distribution (true) or normal approximation */
  exact: boolean;
  nArm: number;
  nControl: number;
}

/** Hodges–Lehmann shift of arm vs control with its rank-sum confidence interval. */
export function hodgesLehmann(
  arm: ArrayLike<number>,
  control: ArrayLike<number>,
  options: { confLevel?: number } = {}
): HodgesLehmannResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertFiniteArray(arm, 'arm');
  assertFiniteArray(control, 'control');
  const m = arm.length;
  const n = control.length;
  if (m < 1) throw new StatsInputError('arm needs at least 1 observation');
  if (n < 1) throw new StatsInputError('control needs at least 1 observation');
  const x = Float64Array.from(arm).sort();
  const y = Float64Array.from(control).sort();
  const { tieSum } = midranks(x, y);
  const base = { confLevel, nArm: m, nControl: n };
  if (useExactRankSum(m, n, tieSum)) return { ...base, ...exactInterval(x, y, confLevel) };
  return { ...base, ...normalInterval(x, y, confLevel) };
}

/** R's exact branch: order statistics of the m·n pairwise differences. */
function exactInterval(x: Float64Array, y: Float64Array, confLevel: number) {
  const m = x.length;
  const n = y.length;
  const diffs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) diffs[i * n + j] = x[i] - y[j];
  diffs.sort();
  const mn = diffs.length;
  const estimate = mn % 2 ? diffs[(mn - 1) / 2] : (diffs[mn / 2 - 1] + diffs[mn / 2]) / 2;
  // qwilcox(α/2, m, n): the smallest u with P(U ≤ u) ≥ α/2 (R's nmath/wilcox.c, with its 10ε slack)
  const counts = mannWhitneyCounts(m, n);
  let total = 0;
  for (let u = 0; u < counts.length; u++) total += counts[u];
  const alpha = 1 - confLevel;
  const target = alpha / 2 - 10 * Number.EPSILON;
  let cum = 0;
  let qu = 0;
  for (; qu < counts.length; qu++) {
    cum += counts[qu] / total;
    if (cum >= target) break;
  }
  if (qu === 0) qu = 1;
  const ql = mn - qu;
  let below = 0; // P(U ≤ qu − 1)
  for (let u = 0; u < qu; u++) below += counts[u];
  const achievedAlpha = (2 * below) / total;
  return {
    estimate,
    ciLow: diffs[qu - 1],
    ciHigh: diffs[ql],
    achievedConfLevel: achievedAlpha - alpha > alpha / 2 ? 1 - achievedAlpha : confLevel,
    exact: true
  };
}

/**
 * The standardised rank-sum statistic of (x − d, y) as R's W(d): midranks from one merge of
 * the two sorted samples, tie correction in the variance, optional continuity correction.
 */
function standardisedW(x: Float64Array, y: Float64Array, d: number, correct: boolean): number {
  const m = x.length;
  const n = y.length;
  const N = m + n;
  let i = 0;
  let j = 0;
  let pos = 0;
  let rankSum = 0;
  let tieSum = 0;
  while (i < m || j < n) {
    const v = i < m && (j >= n || x[i] - d <= y[j]) ? x[i] - d : y[j];
    let ta = 0;
    let ty = 0;
    while (i < m && x[i] - d === v) {
      ta++;
      i++;
    }
    while (j < n && y[j] === v) {
      ty++;
      j++;
    }
    const t = ta + ty;
    rankSum += ta * (pos + (t + 1) / 2);
    tieSum += t * t * t - t;
    pos += t;
  }
  const dz = rankSum - (m * (m + 1)) / 2 - (m * n) / 2;
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - tieSum / (N * (N - 1))));
  if (!(sigma > 0)) {
    throw new StatsInputError('all observations are tied; the Hodges–Lehmann interval is undefined');
  }
  return (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma;
}

/**
 * Bisection of a non-increasing f from lo (f > 0) and hi (f < 0) down to adjacent doubles: the
 * first d with f(d) ≤ 0 ('start of zero') or the last d with f(d) ≥ 0 ('end of zero').
 */
function bisect(
  f: (d: number) => number,
  lo: number,
  hi: number,
  find: 'start of zero' | 'end of zero'
): number {
  for (let k = 0; k < 2200; k++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const v = f(mid);
    if (v > 0 || (v === 0 && find === 'end of zero')) lo = mid;
    else hi = mid;
  }
  return find === 'start of zero' ? hi : lo;
}

/** The d where W(d) − zq changes sign in [min(x) − max(y), max(x) − min(y)] (R's root()). */
function rootOf(x: Float64Array, y: Float64Array, zq: number, correct: boolean): number {
  const f = (d: number) => standardisedW(x, y, d, correct) - zq;
  const lo = x[0] - y[y.length - 1];
  const hi = x[x.length - 1] - y[0];
  if (f(lo) <= 0) return lo;
  if (f(hi) >= 0) return hi;
  // at a jump both ends are the jump (to one ulp); on a flat step where f = 0, its midpoint
  const start = bisect(f, lo, hi, 'start of zero');
  const end = bisect(f, lo, hi, 'end of zero');
  return start + (end - start) / 2;
}

/** R's normal-approximation branch. */
function normalInterval(x: Float64Array, y: Float64Array, confLevel: number) {
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  return {
    estimate: rootOf(x, y, 0, false),
    ciLow: rootOf(x, y, z, true),
    ciHigh: rootOf(x, y, -z, true),
    achievedConfLevel: confLevel,
    exact: false
  };
}
