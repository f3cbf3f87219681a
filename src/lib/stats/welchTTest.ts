// Welch's unequal-variance two-sample t test, arm − control; as R t.test(arm, control).
// Reference: Welch (1947), Biometrika 34:28–35; R stats:::t.test.default.
import { StatsInputError } from './errors';
import { studentTQuantile, studentTTwoSided } from './distributions';
import { moments } from './moments';
import type { MeanDifferenceResult } from './types';
import { assertConfLevel } from './validate';

export interface WelchTTestResult extends MeanDifferenceResult {
  meanArm: number;
  meanControl: number;
  nArm: number;
  nControl: number;
}

/** Welch two-sample t test of arm vs control; each arm needs n ≥ 2 and the pooled SE must be > 0. */
export function welchTTest(
  arm: ArrayLike<number>,
  control: ArrayLike<number>,
  options: { confLevel?: number } = {}
): WelchTTestResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const a = moments(arm, 'arm');
  const c = moments(control, 'control');
  if (a.n < 2) throw new StatsInputError(`arm needs at least 2 observations, got ${a.n}`);
  if (c.n < 2) throw new StatsInputError(`control needs at least 2 observations, got ${c.n}`);
  const va = a.ss / (a.n - 1) / a.n;
  const vc = c.ss / (c.n - 1) / c.n;
  const stdErr = Math.sqrt(va + vc);
  if (!(stdErr > 0)) throw new StatsInputError('both arm and control have zero variance');
  const df = (stdErr * stdErr * stdErr * stdErr) / ((va * va) / (a.n - 1) + (vc * vc) / (c.n - 1));
  return twoSampleTResult(a, c, stdErr, df, confLevel);
}

/**
 * The two-sample t result for arm − control given its standard error and degrees of
 * freedom (Welch's or the pooled ones): estimate, t, two-sided p and t-based CI.
 */
export function twoSampleTResult(
  a: { mean: number; n: number },
  c: { mean: number; n: number },
  stdErr: number,
  df: number,
  confLevel: number
): WelchTTestResult {
  const estimate = a.mean - c.mean;
  const statistic = estimate / stdErr;
  const q = studentTQuantile(1 - (1 - confLevel) / 2, df);
  return {
    estimate,
    stdErr,
    ciLower: (statistic - q) * stdErr,
    ciUpper: (statistic + q) * stdErr,
    confLevel,
    statistic,
    df,
    pValue: studentTTwoSided(statistic, df),
    meanArm: a.mean,
    meanControl: c.mean,
    nArm: a.n,
    nControl: c.n
  };
}
