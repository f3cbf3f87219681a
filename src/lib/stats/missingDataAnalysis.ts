// The treatment effect at one visit of repeated measures with missing values, by one of the
// analyses a trial statistician compares: multiple imputation under MAR or reference-based (J2R,
// CR, CIR), each imputed dataset analysed by the all-arms ANCOVA at the visit (ancovaAtVisit:
// y ~ arm [+ baseline]) and the results pooled by Rubin's rules with the ANCOVA's residual df as
// the complete-data df; or a legacy single imputation (LOCF, BOCF, completers) analysed once.
// The method names are the JSON field names of `twinbench analyze`.
import { ancovaAtVisit } from './ancovaAtVisit';
import { StatsInputError } from './errors';
import type { ImputationModel } from './imputeMar';
import type { MmrmDataOptions, MmrmInput } from './mmrmData';
import { multipleImputation, type MultipleImputationMethod } from './multipleImputation';
import { poolAncovaFits, type MissingDataEffect } from './poolAncovaFits';
import { armIndex, repeatedMeasures, visitIndex } from './repeatedMeasures';
import { singleImputation, type SingleImputationMethod } from './singleImputation';
import { assertConfLevel } from './validate';

export type MissingDataMethod = 'mi_mar' | 'mi_j2r' | 'mi_cr' | 'mi_cir' | 'locf' | 'bocf' | 'completers';

export const MISSING_DATA_METHODS: readonly MissingDataMethod[] = [
  'mi_mar',
  'mi_j2r',
  'mi_cr',
  'mi_cir',
  'locf',
  'bocf',
  'completers'
];

export const MISSING_DATA_LABELS: Record<MissingDataMethod, string> = {
  mi_mar: 'Multiple imputation (MAR)',
  mi_j2r: 'Multiple imputation, jump to reference',
  mi_cr: 'Multiple imputation, copy reference',
  mi_cir: 'Multiple imputation, copy increments from reference',
  locf: 'LOCF (legacy single imputation)',
  bocf: 'BOCF (legacy single imputation)',
  completers: 'Completers (legacy)'
};

export interface MissingDataOptions extends MmrmDataOptions {
  method: MissingDataMethod;
  /** visit level analysed; default the last visit */
  at?: string;
  /** default 0.95 */
  confLevel?: number;
  /** number of imputations; default 20 */
  imputations?: number;
  /** seed of the imputation streams; default 1 */
  seed?: number;
  /** reference arm of the reference-based methods; default the control */
  reference?: string;
  /** default 'by-arm' */
  imputationModel?: ImputationModel;
}

export interface MissingDataArmCount {
  arm: string;
  subjects: number;
  /** subjects observed at the visit */
  observed: number;
  /** subjects in the analysis (observed, or given a value by the method) */
  analysed: number;
}

export interface MissingDataAnalysisResult {
  method: MissingDataMethod;
  label: string;
  /** true for LOCF, BOCF and completers */
  legacy: boolean;
  at: string;
  control: string;
  /** reference arm of a reference-based method, else null */
  reference: string | null;
  arms: string[];
  visits: string[];
  confLevel: number;
  /** number of imputations, null for a single analysis */
  imputations: number | null;
  seed: number | null;
  imputationModel: ImputationModel | null;
  counts: MissingDataArmCount[];
  effects: MissingDataEffect[];
}

/** The analysis of one visit by `options.method`; see the file comment. */
export function missingDataAnalysis(
  input: MmrmInput,
  options: MissingDataOptions
): MissingDataAnalysisResult {
  const { method } = options;
  if (!MISSING_DATA_METHODS.includes(method)) {
    throw new StatsInputError(`method "${method}" is not one of ${MISSING_DATA_METHODS.join(', ')}`);
  }
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const data = repeatedMeasures(input, options);
  const visit = visitIndex(data, options.at);
  const at = data.visits[visit];
  const counts = data.arms.map((arm) => ({ arm, subjects: 0, observed: 0, analysed: 0 }));
  for (let s = 0; s < data.nSubjects; s++) {
    const c = counts[data.arm[s]];
    c.subjects++;
    if (!Number.isNaN(data.y[s * data.nVisits + visit])) c.observed++;
  }
  const base = { method, label: MISSING_DATA_LABELS[method], at, control: data.arms[0], arms: data.arms };
  if (!method.startsWith('mi_')) {
    const fit = ancovaAtVisit(
      data,
      singleImputation(data, method as SingleImputationMethod),
      visit,
      confLevel
    );
    fit.nByArm.forEach((n, a) => (counts[a].analysed = n));
    return {
      ...base,
      legacy: true,
      reference: null,
      visits: data.visits,
      confLevel,
      imputations: null,
      seed: null,
      imputationModel: null,
      counts,
      effects: fit.effects.map((e) => ({ ...e, withinVariance: null, betweenVariance: null, fmi: null }))
    };
  }
  const mi = method.slice(3) as MultipleImputationMethod;
  const reference = mi === 'mar' ? null : armIndex(data, options.reference ?? data.arms[0], 'reference');
  const imputations = options.imputations ?? 20;
  const seed = options.seed ?? 1;
  const imputationModel = options.imputationModel ?? 'by-arm';
  const completed = multipleImputation(data, {
    method: mi,
    imputations,
    seed,
    reference: reference ?? undefined,
    model: imputationModel
  });
  const fits = completed.map((y) => ancovaAtVisit(data, y, visit, confLevel));
  fits[0].nByArm.forEach((n, a) => (counts[a].analysed = n));
  return {
    ...base,
    legacy: false,
    reference: reference === null ? null : data.arms[reference],
    visits: data.visits,
    confLevel,
    imputations,
    seed,
    imputationModel,
    counts,
    effects: poolAncovaFits(fits, confLevel)
  };
}
