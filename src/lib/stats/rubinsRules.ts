// Rubin's rules: pools m estimates of one scalar and their complete-data variances into one
// estimate, its total variance and a t reference with Barnard & Rubin's (1999, Biometrika 86:948)
// small-sample degrees of freedom. Rubin (1987), Multiple Imputation for Nonresponse in Surveys,
// §3.1; the same numbers as R mice::pool / pool.scalar(Q, U, n = dfcom + 1, k = 1) with
// summary(…, conf.int = TRUE) (checked in tests/golden/mi).
import { studentTQuantile, studentTTwoSided } from './distributions';
import { StatsInputError } from './errors';
import { assertConfLevel, assertSameLength } from './validate';

export interface RubinsRulesOptions {
  /** complete-data degrees of freedom (e.g. an lm's n − p); default Infinity (large sample) */
  dfComplete?: number;
  /** default 0.95 */
  confLevel?: number;
}

export interface RubinsRulesResult {
  /** number of imputations */
  m: number;
  /** Q̄, the mean of the estimates */
  estimate: number;
  /** Ū, the mean of the complete-data variances */
  withinVariance: number;
  /** B, the variance of the estimates (denominator m − 1) */
  betweenVariance: number;
  /** T = Ū + (1 + 1/m) B */
  totalVariance: number;
  stdErr: number;
  /** Barnard–Rubin degrees of freedom */
  df: number;
  /** the complete-data df used; null when infinite */
  dfComplete: number | null;
  /** relative increase in variance due to nonresponse, (1 + 1/m) B / Ū */
  riv: number;
  /** proportion of the total variance due to missingness, (1 + 1/m) B / T */
  lambda: number;
  /** fraction of missing information, (riv + 2/(df + 3)) / (riv + 1) */
  fmi: number;
  confLevel: number;
  ciLow: number;
  ciHigh: number;
  /** Q̄ / √T */
  statistic: number;
  /** two-sided p-value on df */
  pValue: number;
}

/** Pools m ≥ 2 (estimate, variance) pairs by Rubin's rules; see the file comment. */
export function rubinsRules(
  estimates: ArrayLike<number>,
  variances: ArrayLike<number>,
  options: RubinsRulesOptions = {}
): RubinsRulesResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const dfComplete = options.dfComplete ?? Infinity;
  if (!(dfComplete > 0)) throw new StatsInputError(`dfComplete must be > 0, got ${dfComplete}`);
  const m = estimates.length;
  assertSameLength(variances, m, 'variances', 'estimates');
  if (m < 2) throw new StatsInputError(`Rubin's rules need at least 2 imputations, got ${m}`);
  let qbar = 0;
  let ubar = 0;
  for (let i = 0; i < m; i++) {
    const q = estimates[i];
    const u = variances[i];
    if (!Number.isFinite(q)) throw new StatsInputError(`estimates[${i}] is not a finite number (${q})`);
    if (!(u > 0 && u < Infinity))
      throw new StatsInputError(`variances[${i}] must be a positive number, got ${u}`);
    qbar += q;
    ubar += u;
  }
  qbar /= m;
  ubar /= m;
  let b = 0;
  for (let i = 0; i < m; i++) b += (estimates[i] - qbar) ** 2;
  b /= m - 1;
  const t = ubar + (1 + 1 / m) * b;
  const riv = ((1 + 1 / m) * b) / ubar;
  const lambda = ((1 + 1 / m) * b) / t;
  // mice:::barnard.rubin bounds λ below by 1e-4, so identical estimates give a finite df
  const lambdaDf = Math.max(lambda, 1e-4);
  const dfOld = (m - 1) / (lambdaDf * lambdaDf);
  const dfObs = ((dfComplete + 1) / (dfComplete + 3)) * dfComplete * (1 - lambdaDf);
  const df = dfComplete === Infinity ? dfOld : (dfOld * dfObs) / (dfOld + dfObs);
  const stdErr = Math.sqrt(t);
  const statistic = qbar / stdErr;
  // summary.mipo evaluates pt on pmax(df, 0.001)
  const dfTest = Math.max(df, 0.001);
  const q = studentTQuantile(1 - (1 - confLevel) / 2, dfTest);
  return {
    m,
    estimate: qbar,
    withinVariance: ubar,
    betweenVariance: b,
    totalVariance: t,
    stdErr,
    df,
    dfComplete: dfComplete === Infinity ? null : dfComplete,
    riv,
    lambda,
    fmi: (riv + 2 / (df + 3)) / (riv + 1),
    confLevel,
    ciLow: qbar - q * stdErr,
    ciHigh: qbar + q * stdErr,
    statistic,
    pValue: studentTTwoSided(statistic, dfTest)
  };
}
