// Fisher's exact test for a 2×2 table (arm/control × event/no event), as R fisher.test: two-sided
// p-value sums the tables whose probability is ≤ the observed one × (1 + 1e-7); the odds ratio is
// the conditional MLE with the conditional exact interval.
// Reference: Fisher (1935); Agresti (2002), Categorical Data Analysis §3.5; R stats::fisher.test.
import { brentRoot } from './root';
import { logChoose } from './special';
import type { BinaryCounts } from './types';
import { assertConfLevel, assertTwoArms } from './validate';

export interface FisherExactResult {
  pValue: number;
  /** conditional maximum-likelihood odds ratio; null when infinite */
  oddsRatio: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  confLevel: number;
}

/** Two-sided Fisher exact test of arm vs control event proportions. */
export function fisherExactTest(
  arm: BinaryCounts,
  control: BinaryCounts,
  options: { confLevel?: number } = {}
): FisherExactResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertTwoArms(arm, control, 'fisherExactTest');
  const m = arm.events + control.events; // first column total
  const n = arm.n + control.n - m; // second column total
  const k = arm.n; // first row total
  const x = arm.events;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const size = hi - lo + 1;
  const logdc = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const s = lo + i;
    logdc[i] = logChoose(m, s) + logChoose(n, k - s) - logChoose(m + n, k);
  }
  // probabilities under odds ratio `ncp`, normalised as R's dnhyper
  const dnhyper = (logNcp: number): Float64Array => {
    const d = new Float64Array(size);
    let max = -Infinity;
    for (let i = 0; i < size; i++) {
      d[i] = logdc[i] + logNcp * (lo + i);
      if (d[i] > max) max = d[i];
    }
    let sum = 0;
    for (let i = 0; i < size; i++) {
      d[i] = Math.exp(d[i] - max);
      sum += d[i];
    }
    for (let i = 0; i < size; i++) d[i] /= sum;
    return d;
  };
  const d0 = dnhyper(0);
  const cutoff = d0[x - lo] * (1 + 1e-7);
  let pValue = 0;
  for (let i = 0; i < size; i++) if (d0[i] <= cutoff) pValue += d0[i];
  pValue = Math.min(1, pValue);

  const mean = (logNcp: number): number => {
    const d = dnhyper(logNcp);
    let s = 0;
    for (let i = 0; i < size; i++) s += (lo + i) * d[i];
    return s;
  };
  const tail = (logNcp: number, upper: boolean): number => {
    const d = dnhyper(logNcp);
    let s = 0;
    for (let i = 0; i < size; i++) if (upper ? lo + i >= x : lo + i <= x) s += d[i];
    return s;
  };
  // monotone in log(ncp); bracket generously (|log OR| ≤ 700 keeps exp finite)
  const solveLog = (f: (t: number) => number): number => Math.exp(brentRoot(f, -700, 700, 1e-13));
  let oddsRatio: number | null;
  if (size === 1) oddsRatio = null;
  else if (x === lo) oddsRatio = 0;
  else if (x === hi) oddsRatio = null;
  else oddsRatio = solveLog((t) => mean(t) - x);
  const alpha = (1 - confLevel) / 2;
  const ciLower = x === lo ? 0 : solveLog((t) => tail(t, true) - alpha);
  const ciUpper = x === hi ? null : solveLog((t) => tail(t, false) - alpha);
  return { pValue, oddsRatio: size === 1 ? null : oddsRatio, ciLower, ciUpper, confLevel };
}
