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
//   continuity correction, for the estimate), found as R finds them: uniroot (zeroin.ts, a port
//   of R's) at wilcox.test's tol.root (1e-4 by default). W(d) is a step function, so where it is
//   zero on an interval the estimate is the point of it where R's iteration stops, not its
//   midpoint; with ties this can differ from the median of the differences.
// Reference: Hollander & Wolfe (1999), Nonparametric Statistical Methods, §4.3.
import { StatsInputError } from './errors';
import { normalQuantile } from './distributions';
import { assertConfLevel, assertFiniteArray } from './validate';
import { mannWhitneyCounts, midranks, useExactRankSum } from './wilcoxonRankSum';
import { zeroin } from './zeroin';

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
  options: { confLevel?: number; tolRoot?: number } = {}
): HodgesLehmannResult {
  const confLevel = options.confLevel ?? 0.95;
  const tol = options.tolRoot ?? 1e-4;
  if (!(tol > 0)) throw new StatsInputError(`tolRoot must be a positive number, got ${tol}`);
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
  return { ...base, ...normalInterval(x, y, confLevel, tol) };
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

/** R's root(): the d where W(d) = zq in [min(x) − max(y), max(x) − min(y)], by uniroot. */
function rootOf(x: Float64Array, y: Float64Array, zq: number, correct: boolean, tol: number): number {
  const f = (d: number) => standardisedW(x, y, d, correct) - zq;
  const lo = x[0] - y[y.length - 1];
  const hi = x[x.length - 1] - y[0];
  const fLo = f(lo);
  const fHi = f(hi);
  // the CI's root() returns an end where W does not cross zq; the estimate's uniroot has no such
  // checks but W(lo) > 0 > W(hi) whenever two values differ
  if (fLo <= 0) return lo;
  if (fHi >= 0) return hi;
  return zeroin(f, lo, hi, fLo, fHi, tol);
}

/** R's normal-approximation branch. */
function normalInterval(x: Float64Array, y: Float64Array, confLevel: number, tol: number) {
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  return {
    estimate: rootOf(x, y, 0, false, tol),
    ciLow: rootOf(x, y, z, true, tol),
    ciHigh: rootOf(x, y, -z, true, tol),
    achievedConfLevel: confLevel,
    exact: false
  };
}
