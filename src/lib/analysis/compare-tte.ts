import { coxPh, kaplanMeier, logRankTest, medianSurvival } from '../stats';
import { tryRow } from './compare-row';
import type { ComparisonRow } from './compare-types';

/**
 * Time-to-event endpoint, one active arm against the control: the log-rank test
 * (R survdiff on the pair's rows), Cox regression on an arm indicator with Efron and with
 * Breslow ties (R coxph; hazard ratio arm / control with its Wald interval, statistic = Wald z),
 * and (kmMedianRow) the Kaplan–Meier median of one arm (R survfit rules).
 */
export interface TteArmData {
  arm: string;
  time: Float64Array;
  /** 1 = event, 0 = censored */
  event: Float64Array;
}

export function tteComparisons(arm: TteArmData, control: TteArmData, confLevel: number): ComparisonRow[] {
  const a = arm.arm;
  const c = control.arm;
  const na = arm.time.length;
  const n = na + control.time.length;
  const time = new Float64Array(n);
  const status = new Float64Array(n);
  const group = new Float64Array(n);
  time.set(arm.time);
  time.set(control.time, na);
  status.set(arm.event);
  status.set(control.event, na);
  group.fill(1, 0, na);
  const cox = (ties: 'efron' | 'breslow') => () => {
    const r = coxPh({ time, status, covariates: [group], names: ['arm'] }, { ties, confLevel });
    const k = r.coefficients[0];
    return { estimate: k.hazardRatio, ciLow: k.hrLower, ciHigh: k.hrUpper, pValue: k.pValue, statistic: k.z };
  };
  return [
    tryRow('log_rank', a, c, () => {
      const r = logRankTest(time, status, group);
      return { statistic: r.statistic, df: r.df, pValue: r.pValue };
    }),
    tryRow('cox_efron', a, c, cox('efron')),
    tryRow('cox_breslow', a, c, cox('breslow'))
  ];
}

/** Median survival of one arm with its confidence interval; null where not reached. */
export function kmMedianRow(arm: TteArmData, confLevel: number): ComparisonRow {
  return tryRow('km_median', arm.arm, null, () => {
    const m = medianSurvival(kaplanMeier(arm.time, arm.event, { confLevel }));
    return { estimate: m.median, ciLow: m.ciLower, ciHigh: m.ciUpper };
  });
}
