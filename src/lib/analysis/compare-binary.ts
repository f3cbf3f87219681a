import {
  chiSquareTest,
  fisherExactTest,
  normalSurvival,
  oddsRatio,
  riskDifference,
  riskRatio,
  StatsInputError,
  type BinaryCounts
} from '../stats';
import { tryRow } from './compare-row';
import type { ComparisonRow } from './compare-types';

/**
 * Binary endpoint, one active arm against the control, from the event counts:
 * - risk_difference_wald: p(arm) − p(control) ± z·SE (unpooled), p-value of z = RD / SE;
 * - risk_difference_newcombe: Newcombe's hybrid score interval (no p-value);
 * - risk_ratio: Katz log interval, 0.5 added to every cell when an arm has no events;
 *   p-value of z = log RR / SE(log RR);
 * - odds_ratio_woolf, or odds_ratio_haldane (0.5 added to every cell) when any cell is zero:
 *   Woolf logit interval, p-value of z = log OR / SE(log OR);
 * - fisher_exact: R fisher.test (conditional MLE odds ratio and exact interval);
 * - chi_square / chi_square_yates: R chisq.test(table, correct = FALSE / TRUE).
 * Ratios are on the ratio scale; a ratio that is infinite is null.
 */
export interface BinaryArmData extends BinaryCounts {
  arm: string;
}

function zTest(z: number): number {
  return 2 * normalSurvival(Math.abs(z));
}

export function binaryComparisons(
  arm: BinaryArmData,
  control: BinaryArmData,
  confLevel: number
): ComparisonRow[] {
  const a = arm.arm;
  const c = control.arm;
  const table = [
    [arm.events, arm.n - arm.events],
    [control.events, control.n - control.events]
  ];
  const zeroCell = table.some((r) => r.some((v) => v === 0));
  const rd = () => riskDifference(arm, control, { confLevel });
  return [
    tryRow('risk_difference_wald', a, c, () => {
      const r = rd();
      if (!(r.stdErr > 0))
        throw new StatsInputError('the Wald standard error is zero (both proportions are 0 or 1)');
      return {
        estimate: r.estimate,
        ciLow: r.waldLower,
        ciHigh: r.waldUpper,
        statistic: r.estimate / r.stdErr,
        pValue: zTest(r.estimate / r.stdErr)
      };
    }),
    tryRow('risk_difference_newcombe', a, c, () => {
      const r = rd();
      return { estimate: r.estimate, ciLow: r.newcombeLower, ciHigh: r.newcombeUpper };
    }),
    tryRow('risk_ratio', a, c, () => {
      const r = riskRatio(arm, control, { confLevel });
      const z = Math.log(r.estimate) / r.stdErrLog;
      return {
        estimate: r.estimate,
        ciLow: r.ciLower,
        ciHigh: r.ciUpper,
        statistic: z,
        pValue: zTest(z),
        note: r.corrected ? '0.5 added to every cell (an arm has no events)' : null
      };
    }),
    tryRow(zeroCell ? 'odds_ratio_haldane' : 'odds_ratio_woolf', a, c, () => {
      const r = oddsRatio(arm, control, { confLevel });
      const z = Math.log(r.estimate) / r.stdErrLog;
      return { estimate: r.estimate, ciLow: r.ciLower, ciHigh: r.ciUpper, statistic: z, pValue: zTest(z) };
    }),
    tryRow('fisher_exact', a, c, () => {
      const r = fisherExactTest(arm, control, { confLevel });
      return { estimate: r.oddsRatio, ciLow: r.ciLower, ciHigh: r.ciUpper, pValue: r.pValue };
    }),
    tryRow('chi_square', a, c, () => {
      const r = chiSquareTest(table, { correct: false });
      return { statistic: r.statistic, df: r.df, pValue: r.pValue };
    }),
    tryRow('chi_square_yates', a, c, () => {
      const r = chiSquareTest(table, { correct: true });
      return { statistic: r.statistic, df: r.df, pValue: r.pValue };
    })
  ];
}
