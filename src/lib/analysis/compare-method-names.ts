import type { ComparisonMethod } from './compare-types';

/**
 * The readable name of every comparison method, as the Compare page and the Help page show
 * it ("Welch t-test", never `welch_t`). The JSON and CLI keep the short codes.
 */
export const METHOD_NAMES: Readonly<Record<ComparisonMethod, string>> = {
  welch_t: 'Welch t-test',
  student_t: 'Student t-test',
  mann_whitney: 'Mann–Whitney (Wilcoxon rank-sum)',
  ancova: 'ANCOVA (baseline, all arms)',
  ancova_pairwise: 'ANCOVA (baseline, pairwise)',
  hodges_lehmann: 'Hodges–Lehmann shift',
  gmr: 'Geometric mean ratio (90% CI)',
  risk_difference_wald: 'Risk difference (Wald)',
  risk_difference_newcombe: 'Risk difference (Newcombe)',
  risk_ratio: 'Risk ratio',
  odds_ratio_woolf: 'Odds ratio (Woolf)',
  odds_ratio_haldane: 'Odds ratio (Haldane)',
  fisher_exact: 'Fisher exact (conditional OR)',
  chi_square: 'Chi-square',
  chi_square_yates: 'Chi-square (Yates)',
  log_rank: 'Log-rank',
  cox_efron: 'Cox PH (Efron), hazard ratio',
  cox_breslow: 'Cox PH (Breslow), hazard ratio',
  km_median: 'KM median'
};

/** Every method the comparison layer can produce, in the order above. */
export const COMPARISON_METHODS = Object.keys(METHOD_NAMES) as ComparisonMethod[];

/** The readable name of a stored method code (a code this version does not know is shown as it is). */
export function methodName(code: string): string {
  return (METHOD_NAMES as Readonly<Record<string, string>>)[code] ?? code;
}

/** The readable name of each estimand strategy (ICH E9(R1), spec's ESTIMAND_STRATEGIES), as the Power page shows it. */
export const ESTIMAND_NAMES: Readonly<Record<string, string>> = {
  treatment_policy: 'Treatment policy',
  hypothetical: 'Hypothetical (no discontinuation or rescue)',
  while_on_treatment: 'While on treatment',
  composite: 'Composite'
};

/** The readable name of a stored estimand code (an unknown one shown as it is). */
export function estimandName(code: string): string {
  return ESTIMAND_NAMES[code] ?? code;
}
