// Rubin's rules per active arm over the visit ANCOVAs of m imputed datasets, the ANCOVA's
// residual df as the complete-data df (Barnard & Rubin 1999), as R
//   mice::pool(with(imp, lm(y ~ arm + baseline)))   with summary(…, conf.int = TRUE).
import type { AncovaAtVisitResult } from './ancovaAtVisit';
import { rubinsRules } from './rubinsRules';

/** One active arm vs control at the analysed visit. */
export interface MissingDataEffect {
  arm: string;
  estimate: number;
  stdErr: number;
  df: number;
  ciLow: number;
  ciHigh: number;
  statistic: number;
  pValue: number;
  /** Rubin's rules' within and between variance and fraction of missing information; null for a single analysis */
  withinVariance: number | null;
  betweenVariance: number | null;
  fmi: number | null;
}

/** Pools each arm's effect over `fits` (one per imputed dataset, same subjects and arms). */
export function poolAncovaFits(fits: readonly AncovaAtVisitResult[], confLevel: number): MissingDataEffect[] {
  return fits[0].effects.map((e, k) => {
    const r = rubinsRules(
      fits.map((f) => f.effects[k].estimate),
      fits.map((f) => f.effects[k].stdErr ** 2),
      { dfComplete: fits[0].df, confLevel }
    );
    return {
      arm: e.arm,
      estimate: r.estimate,
      stdErr: r.stdErr,
      df: r.df,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
      statistic: r.statistic,
      pValue: r.pValue,
      withinVariance: r.withinVariance,
      betweenVariance: r.betweenVariance,
      fmi: r.fmi
    };
  });
}
