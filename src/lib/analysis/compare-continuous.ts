import { ancova, dunnettTest, studentTTest, welchTTest, wilcoxonRankSum } from '../stats';
import { tryRow } from './compare-row';
import type { ComparisonRow, DunnettRow } from './compare-types';

/**
 * Continuous endpoint, one active arm against the control: Welch and Student t tests
 * (R t.test), the Wilcoxon rank-sum test (R wilcox.test(arm, control); W for the arm as first
 * sample) and, when baselines are given, ANCOVA of the pair (R lm(y ~ arm + baseline) on the
 * two arms' rows). All estimates are arm − control.
 */
export interface ContinuousArmData {
  arm: string;
  y: Float64Array;
  /** same length as y, or null without a baseline */
  baseline: Float64Array | null;
}

export function continuousComparisons(
  arm: ContinuousArmData,
  control: ContinuousArmData,
  confLevel: number
): ComparisonRow[] {
  const a = arm.arm;
  const c = control.arm;
  const t = (r: ReturnType<typeof welchTTest>) => ({
    estimate: r.estimate,
    ciLow: r.ciLower,
    ciHigh: r.ciUpper,
    pValue: r.pValue,
    statistic: r.statistic,
    df: r.df
  });
  const rows = [
    tryRow('welch_t', a, c, () => t(welchTTest(arm.y, control.y, { confLevel }))),
    tryRow('student_t', a, c, () => t(studentTTest(arm.y, control.y, { confLevel }))),
    tryRow('mann_whitney', a, c, () => {
      const r = wilcoxonRankSum(arm.y, control.y);
      return { pValue: r.pValue, statistic: r.statistic };
    })
  ];
  if (arm.baseline && control.baseline) {
    const na = arm.y.length;
    const n = na + control.y.length;
    const outcome = new Float64Array(n);
    const baseline = new Float64Array(n);
    const treatment = new Float64Array(n);
    outcome.set(arm.y);
    outcome.set(control.y, na);
    baseline.set(arm.baseline);
    baseline.set(control.baseline, na);
    treatment.fill(1, 0, na);
    rows.push(
      tryRow('ancova', a, c, () => {
        const r = ancova({ outcome, treatment, baseline }, { confLevel });
        return {
          estimate: r.estimate,
          ciLow: r.ciLower,
          ciHigh: r.ciUpper,
          pValue: r.pValue,
          statistic: r.statistic,
          df: r.df
        };
      })
    );
  }
  return rows;
}

/** Dunnett many-to-one comparisons of every active arm with the control (pooled variance). */
export function dunnettRows(
  arms: readonly ContinuousArmData[],
  control: ContinuousArmData,
  confLevel: number
): DunnettRow[] {
  const r = dunnettTest(
    arms.map((x) => x.y),
    control.y,
    { confLevel }
  );
  return r.comparisons.map((d) => ({
    arm: arms[d.arm].arm,
    control: control.arm,
    estimate: d.estimate,
    ciLow: d.ciLower,
    ciHigh: d.ciUpper,
    pAdjusted: d.pValue,
    statistic: d.statistic,
    df: r.df
  }));
}
