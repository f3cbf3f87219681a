import type { PAdjustMethod } from '../stats';

/**
 * The shape of an arm comparison: per-arm summaries, every applicable method for each active
 * arm against the control, multiplicity-adjusted p-values of the primary method, and (for
 * counterfactual runs) the distribution of per-twin treatment effects. Plain data, serialisable
 * as JSON: every number is finite or null, never NaN or ±Infinity.
 */
export type EndpointType = 'continuous' | 'binary' | 'tte';

export const ENDPOINT_TYPES: readonly EndpointType[] = ['continuous', 'binary', 'tte'];

export type ComparisonMethod =
  | 'welch_t'
  | 'student_t'
  | 'mann_whitney'
  | 'ancova'
  | 'ancova_pairwise'
  | 'hodges_lehmann'
  | 'gmr'
  | 'risk_difference_wald'
  | 'risk_difference_newcombe'
  | 'risk_ratio'
  | 'odds_ratio_woolf'
  | 'odds_ratio_haldane'
  | 'fisher_exact'
  | 'chi_square'
  | 'chi_square_yates'
  | 'log_rank'
  | 'cox_efron'
  | 'cox_breslow'
  | 'km_median';

/** Methods whose estimate and CI are on the ratio scale (reference value 1, not 0). */
export const RATIO_METHODS: ReadonlySet<ComparisonMethod> = new Set<ComparisonMethod>([
  'gmr',
  'risk_ratio',
  'odds_ratio_woolf',
  'odds_ratio_haldane',
  'fisher_exact',
  'cox_efron',
  'cox_breslow'
]);

/** Methods that can serve as the primary analysis (they give a p-value), by endpoint type. */
export const PRIMARY_CANDIDATES: Readonly<Record<EndpointType, readonly ComparisonMethod[]>> = {
  continuous: ['welch_t', 'student_t', 'mann_whitney', 'ancova', 'ancova_pairwise', 'gmr'],
  binary: [
    'chi_square',
    'chi_square_yates',
    'fisher_exact',
    'risk_difference_wald',
    'risk_ratio',
    'odds_ratio_woolf',
    'odds_ratio_haldane'
  ],
  tte: ['log_rank', 'cox_efron', 'cox_breslow']
};

export type AdjustMethod = PAdjustMethod;

interface ArmSummaryBase {
  arm: string;
  /** observations analysed (complete cases) */
  n: number;
  /** rows of this arm excluded because a needed value was missing */
  missing: number;
}

export interface ContinuousArmSummary extends ArmSummaryBase {
  mean: number;
  sd: number;
  se: number;
  median: number;
  /** quartiles, R quantile type 7 */
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** t-based confidence interval of the mean */
  ciLow: number;
  ciHigh: number;
}

export interface BinaryArmSummary extends ArmSummaryBase {
  events: number;
  proportion: number;
  /** Wilson score interval of the proportion */
  ciLow: number;
  ciHigh: number;
}

export interface TteArmSummary extends ArmSummaryBase {
  events: number;
  /** Kaplan–Meier median survival and its CI (R survfit rules); null when not reached */
  median: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export type ArmSummary = ContinuousArmSummary | BinaryArmSummary | TteArmSummary;

/**
 * One method applied to one active arm against the control (km_median: one row per arm, control
 * null). Continuous endpoints: `ancova` is the all-arms model lm(y ~ arm + baseline) (shared
 * residual variance and slope), `ancova_pairwise` the same on the pair's rows only;
 * `hodges_lehmann` the Hodges–Lehmann shift with the CI of the rank-sum test (its p is
 * mann_whitney's); `gmr` (exposure endpoints) the geometric mean ratio with a 90 % CI whatever
 * the comparison's confLevel, as in bioequivalence.
 */
export interface ComparisonRow {
  arm: string;
  control: string | null;
  method: ComparisonMethod;
  /** arm − control for differences; arm / control for ratios (see RATIO_METHODS) */
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  /** t, z, chi-square or W (mann_whitney: R's W for the arm as first sample) */
  statistic: number | null;
  df: number | null;
  /** multiplicity-adjusted p-value; set on the primary method's rows only */
  pAdjusted: number | null;
  /** why values are null when the method could not be computed for this pair */
  note: string | null;
}

/** Dunnett many-to-one comparison (continuous endpoints; pooled variance over all arms). */
export interface DunnettRow {
  arm: string;
  control: string;
  estimate: number;
  ciLow: number;
  ciHigh: number;
  /** single-step adjusted two-sided p-value */
  pAdjusted: number;
  statistic: number;
  df: number;
}

/**
 * Distribution of per-twin treatment effects (arm − control within the same twin) of a
 * counterfactual run, where every twin was simulated under every arm.
 */
export interface CounterfactualEffect {
  arm: string;
  control: string;
  /** twins with a value under both arms */
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  /** 2.5th and 97.5th percentiles (type 7) */
  p025: number | null;
  p975: number | null;
  min: number | null;
  max: number | null;
  /** binary endpoints: share of twins with the event under the arm only, and under the control only */
  armOnly: number | null;
  controlOnly: number | null;
}

/** One arm's probability of target attainment (continuous endpoints with a target window). */
export interface TargetAttainmentRow {
  arm: string;
  /** subjects with the value in the window */
  attained: number;
  n: number;
  proportion: number;
  /** Wilson interval at the comparison's confLevel */
  ciLow: number;
  ciHigh: number;
}

export interface TargetAttainment {
  /** the window's bounds, inclusive; null for an open end */
  low: number | null;
  high: number | null;
  arms: TargetAttainmentRow[];
}

/** The arms of a 2×2 factorial: each arm's level (0/1) of factor A and of factor B. */
export interface FactorialDesign {
  factorA: string;
  factorB: string;
  cells: { arm: string; a: 0 | 1; b: 0 | 1 }[];
}

/** The interaction test of a 2×2 factorial (R lm(y ~ A * B), the A:B coefficient). */
export interface FactorialInteractionRow {
  factorA: string;
  factorB: string;
  /** the four cells with their arm, size and mean */
  cells: { arm: string; a: 0 | 1; b: 0 | 1; n: number; mean: number | null }[];
  /** (mean AB − mean A) − (mean B − mean neither): the departure from additive effects */
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  statistic: number | null;
  df: number | null;
  pValue: number | null;
  note: string | null;
}

export interface Comparison {
  endpoint: string;
  type: EndpointType;
  /** the arm every other arm is compared with */
  control: string;
  /** primary method, the one the multiplicity adjustment applies to */
  primary: ComparisonMethod;
  adjust: AdjustMethod;
  confLevel: number;
  /** control first, then the active arms */
  arms: ArmSummary[];
  comparisons: ComparisonRow[];
  /** continuous endpoints only, else null */
  dunnett: DunnettRow[] | null;
  /** rows whose arm was missing (not counted in any arm) */
  missingArm: number;
  /** counterfactual runs only, else null */
  counterfactual: CounterfactualEffect[] | null;
  /** what ANCOVA adjusted for (a column, an endpoint or a visit), null without a baseline */
  baseline: string | null;
  /** continuous endpoints given a target window, else null */
  targetAttainment: TargetAttainment | null;
  /** continuous endpoints of a 2×2 factorial design, else null */
  factorial: FactorialInteractionRow | null;
  /** where the data came from: a file path, or a run of a .duckdb file */
  source:
    { kind: 'file'; path: string } | { kind: 'run'; path: string; runId: string; replicate: number | null };
}
