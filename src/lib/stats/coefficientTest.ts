// The t test and confidence interval of one linear-model coefficient from its estimate, SE and
// residual df, as R summary.lm() (t value, Pr(>|t|)) and confint.lm() report them.
import { studentTQuantile, studentTTwoSided } from './distributions';

export interface CoefficientTest {
  estimate: number;
  stdErr: number;
  ciLow: number;
  ciHigh: number;
  statistic: number;
  pValue: number;
}

/** estimate ± t(1 − α/2, df)·SE, t = estimate / SE and its two-sided p. */
export function coefficientTest(
  estimate: number,
  stdErr: number,
  df: number,
  confLevel: number
): CoefficientTest {
  const statistic = estimate / stdErr;
  const q = studentTQuantile(1 - (1 - confLevel) / 2, df);
  return {
    estimate,
    stdErr,
    ciLow: estimate - q * stdErr,
    ciHigh: estimate + q * stdErr,
    statistic,
    pValue: studentTTwoSided(statistic, df)
  };
}
