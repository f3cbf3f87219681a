/**
 * Where a trial's twins get their individual parameters: from the population model
 * (`IndividualParameterModel`: typical values, covariate effects, etas drawn from Ω) or
 * from each twin's own posterior (`PosteriorParameterModel`, twins of calibrated
 * patients). Draws are keyed by (seed, twin id), so a twin's parameters do not depend
 * on the chunk it is simulated in.
 */
export interface ParameterSource {
  readonly nParameters: number;
  /** The column order of the covariate rows `fill` reads. */
  readonly covariateNames: readonly string[];
  /**
   * Writes the parameter rows of twins `twinIds` into `out` (nTwins × nParameters) from
   * their covariate rows (`covariates`: nTwins × covariateNames.length, row-major).
   */
  fill(seed: number, twinIds: ArrayLike<number>, covariates: Float64Array, out: Float64Array): Float64Array;
}
