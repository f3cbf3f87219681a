// Geometric mean ratio arm / control with a 90 % confidence interval by default, as in average
// bioequivalence (FDA Guidance for Industry: Statistical Approaches to Establishing
// Bioequivalence, 2001; the two one-sided tests at 5 % are the 90 % interval): the pooled
// two-sample t on the log scale, back-transformed, as R
// exp(t.test(log(arm), log(control), var.equal = TRUE, conf.level = 0.9)$conf.int).
import { StatsInputError } from './errors';
import { studentTTest } from './studentTTest';
import { assertConfLevel } from './validate';

export interface GeometricMeanRatioResult {
  /** geometric mean of arm / geometric mean of control */
  estimate: number;
  ciLow: number;
  ciHigh: number;
  confLevel: number;
  /** t of the log-scale difference (H0: ratio 1), its df (nArm + nControl − 2) and two-sided p */
  statistic: number;
  df: number;
  pValue: number;
  /** SE of the difference of log means */
  logStdErr: number;
  nArm: number;
  nControl: number;
}

function logs(x: ArrayLike<number>, name: string): Float64Array {
  const out = new Float64Array(x.length);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v > 0) || !Number.isFinite(v)) {
      bad++;
      if (first < 0) first = i;
    }
    out[i] = Math.log(v);
  }
  if (bad > 0) {
    throw new StatsInputError(
      `the geometric mean ratio needs positive values: ${bad} of ${x.length} ${name} values ` +
        `${bad === 1 ? 'is' : 'are'} not a positive number (first: ${name}[${first}] = ${x[first]})`
    );
  }
  return out;
}

/** Ratio of geometric means (arm / control) with its log-scale t interval (default 90 %). */
export function geometricMeanRatio(
  arm: ArrayLike<number>,
  control: ArrayLike<number>,
  options: { confLevel?: number } = {}
): GeometricMeanRatioResult {
  const confLevel = options.confLevel ?? 0.9;
  assertConfLevel(confLevel);
  const t = studentTTest(logs(arm, 'arm'), logs(control, 'control'), { confLevel });
  return {
    estimate: Math.exp(t.estimate),
    ciLow: Math.exp(t.ciLower),
    ciHigh: Math.exp(t.ciUpper),
    confLevel,
    statistic: t.statistic,
    df: t.df,
    pValue: t.pValue,
    logStdErr: t.stdErr,
    nArm: t.nArm,
    nControl: t.nControl
  };
}
