// Legacy single imputation, kept for comparison with the principled analyses: last observation
// carried forward (LOCF: each missing value replaced by the subject's last observed value before
// it, or by the baseline when there is none; without a baseline such a value stays missing), baseline observation carried forward (BOCF: each
// missing value replaced by the baseline; the outcome and the baseline must be on one scale) and
// completers (nothing imputed: the analysis keeps the subjects observed at the visit). Neither
// reflects the uncertainty of the filled-in values, and their bias depends on the trajectory
// (National Research Council 2010, The Prevention and Treatment of Missing Data in Clinical
// Trials, §4; EMA/CPMP/EWP/1776/99 Rev. 1).
import { StatsInputError } from './errors';
import type { RepeatedMeasures } from './repeatedMeasures';

export type SingleImputationMethod = 'locf' | 'bocf' | 'completers';

export const SINGLE_IMPUTATION_METHODS: readonly SingleImputationMethod[] = ['locf', 'bocf', 'completers'];

/** Returns a copy of `data.y` (subject-major) with missing values filled by `method`; NaN where none is. */
export function singleImputation(data: RepeatedMeasures, method: SingleImputationMethod): Float64Array {
  if (!SINGLE_IMPUTATION_METHODS.includes(method)) {
    throw new StatsInputError(
      `single imputation "${method}" is not one of ${SINGLE_IMPUTATION_METHODS.join(', ')}`
    );
  }
  const y = Float64Array.from(data.y);
  if (method === 'completers') return y;
  const { nSubjects: S, nVisits: V, baseline } = data;
  if (method === 'bocf' && !baseline) throw new StatsInputError('BOCF needs a baseline');
  for (let s = 0; s < S; s++) {
    let last = baseline ? baseline[s] : NaN;
    for (let v = 0; v < V; v++) {
      const k = s * V + v;
      if (Number.isNaN(y[k])) y[k] = method === 'locf' ? last : (baseline as Float64Array)[s];
      else last = y[k];
    }
  }
  return y;
}
