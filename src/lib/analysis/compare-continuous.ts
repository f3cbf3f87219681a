import {
  ancova,
  ancovaAllArms,
  dunnettTest,
  geometricMeanRatio,
  hodgesLehmann,
  StatsInputError,
  studentTTest,
  welchTTest,
  wilcoxonRankSum
} from '../stats';
import { emptyRow, tryRow } from './compare-row';
import type { ComparisonRow, DunnettRow } from './compare-types';

/**
 * Continuous endpoint, one active arm against the control: Welch and Student t tests
 * (R t.test), the Wilcoxon rank-sum test (R wilcox.test(arm, control); W for the arm as first
 * sample) with the Hodges–Lehmann shift and its CI (wilcox.test(conf.int = TRUE)), for exposure
 * endpoints the geometric mean ratio with a 90 % CI (exp of t.test on logs, var.equal = TRUE),
 * and, when baselines are given, ANCOVA of the pair (R lm(y ~ arm + baseline) on the two arms'
 * rows). All estimates are arm − control, the ratio arm / control.
 */
export interface ContinuousArmData {
  arm: string;
  y: Float64Array;
  /** same length as y, or null without a baseline */
  baseline: Float64Array | null;
}

/** The confidence level of the geometric mean ratio, as average bioequivalence uses (FDA 2001). */
export const GMR_CONF_LEVEL = 0.9;

export function continuousComparisons(
  arm: ContinuousArmData,
  control: ContinuousArmData,
  confLevel: number,
  options: { exposure?: boolean } = {}
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
    }),
    tryRow('hodges_lehmann', a, c, () => {
      const r = hodgesLehmann(arm.y, control.y, { confLevel });
      // R warns and reports the level the exact distribution reaches (tiny samples)
      const note =
        r.achievedConfLevel < confLevel
          ? `the exact interval reaches only ${(100 * r.achievedConfLevel).toFixed(1)} % confidence`
          : null;
      return { estimate: r.estimate, ciLow: r.ciLow, ciHigh: r.ciHigh, note };
    })
  ];
  if (options.exposure) {
    rows.push(
      tryRow('gmr', a, c, () => {
        const r = geometricMeanRatio(arm.y, control.y, { confLevel: GMR_CONF_LEVEL });
        return {
          estimate: r.estimate,
          ciLow: r.ciLow,
          ciHigh: r.ciHigh,
          pValue: r.pValue,
          statistic: r.statistic,
          df: r.df
        };
      })
    );
  }
  if (arm.baseline && control.baseline) {
    const pair = [arm, control];
    const { outcome, group, baseline } = stacked(pair);
    rows.push(
      tryRow('ancova_pairwise', a, c, () => {
        const r = ancova(
          { outcome, treatment: group.map((g) => (g === 0 ? 1 : 0)), baseline },
          { confLevel }
        );
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

/** The arms' rows one after the other: outcome, baseline and each row's index in `arms`. */
function stacked(arms: readonly ContinuousArmData[]) {
  const n = arms.reduce((s, d) => s + d.y.length, 0);
  const outcome = new Float64Array(n);
  const baseline = new Float64Array(n);
  const group = new Float64Array(n);
  let at = 0;
  arms.forEach((d, k) => {
    outcome.set(d.y, at);
    baseline.set(d.baseline!, at);
    group.fill(k, at, at + d.y.length);
    at += d.y.length;
  });
  return { outcome, baseline, group };
}

/**
 * ANCOVA with all arms in one model (R lm(y ~ arm + baseline), the control as reference):
 * one `ancova` row per active arm, in the order of `active`. When the model cannot be fitted,
 * every row carries the reason.
 */
export function ancovaAllArmsRows(
  control: ContinuousArmData,
  active: readonly ContinuousArmData[],
  confLevel: number
): ComparisonRow[] {
  const { outcome, group, baseline } = stacked([control, ...active]);
  try {
    const r = ancovaAllArms({ outcome, arm: group, baseline }, { confLevel });
    return r.effects.map((e) =>
      tryRow('ancova', active[e.arm - 1].arm, control.arm, () => ({
        estimate: e.estimate,
        ciLow: e.ciLow,
        ciHigh: e.ciHigh,
        pValue: e.pValue,
        statistic: e.statistic,
        df: r.df
      }))
    );
  } catch (e) {
    if (!(e instanceof StatsInputError)) throw e;
    return active.map((d) => ({ ...emptyRow('ancova', d.arm, control.arm), note: e.message }));
  }
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
