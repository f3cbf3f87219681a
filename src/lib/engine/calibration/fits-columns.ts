/**
 * Column names of the fits file (one row per calibrated patient; docs/calibration.md):
 * `ID`, the patient's covariates, `eta_<P>` (the MAP etas in the variability's order),
 * `cov_<Pi>_<Pj>` (their Laplace posterior covariance, lower triangle row by row), then
 * the fit's results and diagnostics. One list of names for the file's writer and readers.
 */

export const ID_COLUMN = 'ID';
/** A calibrated twin's patient: the patient's row in the fits file (1, 2, …). */
export const PATIENT_COLUMN = 'patient';
export const ETA_PREFIX = 'eta_';

export const etaColumn = (parameter: string): string => `${ETA_PREFIX}${parameter}`;

/** cov_<Pi>_<Pj> for i ≥ j, row by row: cov_CL_CL, cov_V_CL, cov_V_V, … */
export function covarianceColumns(etaNames: readonly string[]): string[] {
  const names: string[] = [];
  etaNames.forEach((pi, i) => {
    for (let j = 0; j <= i; j++) names.push(`cov_${pi}_${etaNames[j]}`);
  });
  return names;
}

/** The fit's own results: neither covariates nor the posterior. */
export function isFitResultColumn(name: string): boolean {
  return (
    name === ID_COLUMN ||
    /^(param|shrinkage)_/.test(name) ||
    ['ofv', 'population_ofv', 'converged', 'method', 'evaluations', 'note', 'model'].includes(name)
  );
}
