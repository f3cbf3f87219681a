// Student's pooled-variance two-sample t test, arm − control; as R t.test(arm, control, var.equal = TRUE).
// Reference: Student (1908); R stats:::t.test.default.
import { StatsInputError } from './errors';
import { moments } from './moments';
import { twoSampleTResult, type WelchTTestResult } from './welchTTest';
import { assertConfLevel } from './validate';

/** Pooled-variance two-sample t test; needs n ≥ 1 per arm, n ≥ 3 overall and a non-zero pooled variance. */
export function studentTTest(
  arm: ArrayLike<number>,
  control: ArrayLike<number>,
  options: { confLevel?: number } = {}
): WelchTTestResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const a = moments(arm, 'arm');
  const c = moments(control, 'control');
  const df = a.n + c.n - 2;
  if (df < 1)
    throw new StatsInputError(`arm and control together need at least 3 observations, got ${a.n + c.n}`);
  const pooled = (a.ss + c.ss) / df;
  const stdErr = Math.sqrt(pooled * (1 / a.n + 1 / c.n));
  if (!(stdErr > 0)) throw new StatsInputError('the pooled variance of arm and control is zero');
  return twoSampleTResult(a, c, stdErr, df, confLevel);
}
