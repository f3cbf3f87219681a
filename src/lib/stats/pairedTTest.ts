// Paired t test on the differences x − y; as R t.test(x, y, paired = TRUE).
// Reference: R stats:::t.test.default (one-sample t on the differences).
import { StatsInputError } from './errors';
import { studentTQuantile, studentTTwoSided } from './distributions';
import { moments } from './moments';
import type { MeanDifferenceResult } from './types';
import { assertConfLevel, assertSameLength } from './validate';

export interface PairedTTestResult extends MeanDifferenceResult {
  nPairs: number;
}

/** Paired t test of x − y (e.g. follow-up − baseline); needs ≥ 2 pairs with non-constant differences. */
export function pairedTTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { confLevel?: number } = {}
): PairedTTestResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertSameLength(y, x.length, 'y', 'x');
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = x[i] - y[i];
  const m = moments(d, 'x − y');
  if (m.n < 2) throw new StatsInputError(`paired t test needs at least 2 pairs, got ${m.n}`);
  const stdErr = Math.sqrt(m.ss / (m.n - 1) / m.n);
  if (!(stdErr > 0)) throw new StatsInputError('the paired differences x − y have zero variance');
  const df = m.n - 1;
  const statistic = m.mean / stdErr;
  const q = studentTQuantile(1 - (1 - confLevel) / 2, df);
  return {
    estimate: m.mean,
    stdErr,
    ciLower: (statistic - q) * stdErr,
    ciUpper: (statistic + q) * stdErr,
    confLevel,
    statistic,
    df,
    pValue: studentTTwoSided(statistic, df),
    nPairs: m.n
  };
}
