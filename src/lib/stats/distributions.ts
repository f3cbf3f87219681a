// Typed distribution functions (Student t, chi-square, F, normal) accurate to ~1e-14 relative,
// including far tails. jstat's incomplete beta/gamma stop at ~3e-7 relative accuracy, so these
// are built on ./special (NR-style continued fractions with tight tolerances). The normal
// distribution is the engine's Cody/Acklam implementation (src/lib/engine/rng/normal.ts).
import { normalCdf, normalQuantile, normalSurvival } from '../engine/rng/normal';
import { betaIncomplete, gammaIncomplete, logBeta } from './special';

export { normalCdf, normalQuantile, normalSurvival };

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Upper tail P(T > t) of Student's t with `df` (> 0, may be fractional) degrees of freedom. */
export function studentTSurvival(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  if (df === Infinity) return normalSurvival(t);
  const t2 = t * t;
  // I_{df/(df+t^2)}(df/2, 1/2) = P(|T| > |t|); both arguments formed without cancellation
  const { lower } = betaIncomplete(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t > 0 ? 0.5 * lower : 1 - 0.5 * lower;
}

/** P(T <= t) for Student's t. */
export function studentTCdf(t: number, df: number): number {
  return studentTSurvival(-t, df);
}

/** Two-sided p-value P(|T| >= |t|). */
export function studentTTwoSided(t: number, df: number): number {
  if (df === Infinity) return 2 * normalSurvival(Math.abs(t));
  const t2 = t * t;
  if (t2 === Infinity) return 0;
  return betaIncomplete(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).lower;
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  if (df === Infinity) return normalPdf(t);
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(0.5, df / 2));
}

/** Quantile of Student's t: the t with P(T <= t) = p. Newton on the log tail, bracketed. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  const q = p < 0.5 ? p : 1 - p; // upper-tail probability for the positive root
  const sign = p < 0.5 ? -1 : 1;
  if (df === 1) return sign * Math.tan(Math.PI * (0.5 - q));
  const logQ = Math.log(q);
  // bracket [lo, hi] with S(lo) >= q >= S(hi)
  let lo = 0;
  let hi = Math.max(1, -normalQuantile(q));
  while (studentTSurvival(hi, df) > q) {
    lo = hi;
    hi *= 2;
  }
  let t = -normalQuantile(q);
  t = t + (t * t * t + t) / (4 * df); // Cornish–Fisher start
  if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
  for (let iter = 0; iter < 200; iter++) {
    const s = studentTSurvival(t, df);
    if (s > q) lo = t;
    else hi = t;
    const g = Math.log(s) - logQ;
    const step = g / (studentTPdf(t, df) / s);
    let next = t + step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.abs(t) || hi - lo <= 1e-15 * hi) {
      t = next;
      break;
    }
    t = next;
  }
  return sign * t;
}

/** Upper tail P(X > x) of the chi-square distribution with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  return gammaIncomplete(df / 2, x / 2).upper;
}

/** P(X <= x) for the chi-square distribution. */
export function chiSquareCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 0;
  return gammaIncomplete(df / 2, x / 2).lower;
}

/** Upper tail P(F > f) of the F distribution with (df1, df2) degrees of freedom. */
export function fSurvival(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  const d = df1 * f + df2;
  return betaIncomplete(df2 / d, df2 / 2, df1 / 2, (df1 * f) / d).lower;
}

/** P(F <= f) for the F distribution. */
export function fCdf(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f <= 0) return 0;
  if (f === Infinity) return 1;
  const d = df1 * f + df2;
  return betaIncomplete(df2 / d, df2 / 2, df1 / 2, (df1 * f) / d).upper;
}
