// Result shapes shared by several tests.

/** A two-sample comparison of means (arm − control) with a t reference distribution. */
export interface MeanDifferenceResult {
  /** mean(arm) − mean(control) (for paired: mean of the differences) */
  estimate: number;
  stdErr: number;
  ciLower: number;
  ciUpper: number;
  confLevel: number;
  /** t statistic */
  statistic: number;
  df: number;
  /** two-sided p-value */
  pValue: number;
}

/** An estimate with a confidence interval; bounds are null when not estimable or infinite. */
export interface IntervalEstimate {
  estimate: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  confLevel: number;
}

/** Events out of n in one arm. */
export interface BinaryCounts {
  events: number;
  n: number;
}
