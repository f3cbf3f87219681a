import { rowsOf, sqlIdent, sqlString, type Connector } from '../db/connector';
import { populationShrinkage } from '../engine/calibration/calibrate-patients';
import { covarianceColumns, etaColumn, ID_COLUMN } from '../engine/calibration/fits-columns';

/**
 * Calibrations read back (read side of db/calibration-store.ts): what a calibration row
 * says, the wide "fits file" (one row per patient, one column per covariate, eta,
 * covariance element, parameter and diagnostic: what `calibrate --out` writes and a
 * cohort built from fitted patients reads), and the per-patient summary the CLI prints.
 */
export interface CalibrationInfo {
  calibrationId: number;
  name: string;
  model: string;
  status: string;
  error: string | null;
  dataFile: string | null;
  etaNames: string[];
  parameterNames: string[];
  covariateNames: string[];
  /** Ω, nEta × nEta row-major. */
  omega: number[];
  nPatients: number;
  seconds: number | null;
}

/** Thrown when a database has no calibration of that id. */
export class UnknownCalibrationError extends Error {
  constructor(id: number) {
    super(`there is no calibration ${id} in this database`);
    this.name = 'UnknownCalibrationError';
  }
}

export async function readCalibration(db: Connector, calibrationId: number): Promise<CalibrationInfo> {
  const [row] = rowsOf<Record<string, unknown>>(
    await db.query(
      `SELECT calibration_id, name, model, status, error, data_file, eta_names, parameter_names, covariate_names, ` +
        `array_to_string(omega, ',') AS omega, n_patients, seconds FROM calibration WHERE calibration_id = ${calibrationId}`
    )
  );
  if (!row) throw new UnknownCalibrationError(calibrationId);
  return {
    calibrationId,
    name: row.name as string,
    model: row.model as string,
    status: row.status as string,
    error: (row.error as string | null) ?? null,
    dataFile: (row.data_file as string | null) ?? null,
    etaNames: JSON.parse(row.eta_names as string),
    parameterNames: JSON.parse(row.parameter_names as string),
    covariateNames: JSON.parse(row.covariate_names as string),
    omega: (row.omega as string).split(',').map(Number),
    nPatients: row.n_patients as number,
    seconds: (row.seconds as number | null) ?? null
  };
}

/**
 * The fits file as one SELECT, columns in this order: ID; the covariates (the model's,
 * then the data's others); eta_<P>; cov_<Pi>_<Pj> for i ≥ j (the lower triangle row by
 * row; NULL where the Laplace approximation failed); param_<P> for every model parameter;
 * ofv, population_ofv, converged, method, evaluations; shrinkage_<P>; note; model.
 * A missing covariate value is NULL. Rows in the data's order of patients.
 */
export function fitsTableSql(info: CalibrationInfo): string {
  const n = info.etaNames.length;
  const as = (expr: string, name: string) => `${expr} AS ${sqlIdent(name)}`;
  // The covariance's lower triangle row by row, as covarianceColumns names it: element (i, j).
  const lower = info.etaNames.flatMap((_, i) => info.etaNames.slice(0, i + 1).map((_, j) => i * n + j + 1));
  const columns = [
    as('id', ID_COLUMN),
    ...info.covariateNames.map((c, k) => as(`nullif(covariates[${k + 1}], 'NaN'::DOUBLE)`, c)),
    ...info.etaNames.map((p, k) => as(`eta[${k + 1}]`, etaColumn(p))),
    ...covarianceColumns(info.etaNames).map((name, k) => as(`covariance[${lower[k]}]`, name)),
    ...info.parameterNames.map((p, k) => as(`parameters[${k + 1}]`, `param_${p}`)),
    'ofv',
    'population_ofv',
    'converged',
    'method',
    'evaluations',
    ...info.etaNames.map((p, k) => as(`nullif(shrinkage[${k + 1}], 'NaN'::DOUBLE)`, `shrinkage_${p}`)),
    'note',
    as(sqlString(info.model), 'model')
  ];
  return (
    `SELECT ${columns.join(', ')} FROM calibration_fit ` +
    `WHERE calibration_id = ${info.calibrationId} ORDER BY patient`
  );
}

export interface PatientSummary {
  id: string;
  ofv: number;
  converged: boolean;
  /** Per eta: the MAP estimate, its posterior SD (Laplace; null when it failed) and shrinkage. */
  eta: number[];
  sd: (number | null)[];
  shrinkage: (number | null)[];
  note: string;
}

export interface CalibrationSummary {
  etaNames: string[];
  patients: PatientSummary[];
  /** 1 − SD(η̂)/ω per eta across the patients (NaN with fewer than two). */
  populationShrinkage: number[];
  notConverged: number;
}

/** Each patient's fit in the data's order, with the population shrinkage per eta. */
export async function calibrationSummary(db: Connector, info: CalibrationInfo): Promise<CalibrationSummary> {
  const n = info.etaNames.length;
  const k = [...Array(n).keys()];
  const columns = [
    'id',
    'ofv',
    'converged',
    'note',
    ...k.map((i) => `eta[${i + 1}] AS e${i}`),
    ...k.map((i) => `sqrt(covariance[${i * n + i + 1}]) AS s${i}`),
    ...k.map((i) => `nullif(shrinkage[${i + 1}], 'NaN'::DOUBLE) AS k${i}`)
  ];
  const rows = rowsOf<Record<string, unknown>>(
    await db.query(
      `SELECT ${columns.join(', ')} FROM calibration_fit WHERE calibration_id = ${info.calibrationId} ORDER BY patient`
    )
  );
  const patients = rows.map((r) => ({
    id: r.id as string,
    ofv: r.ofv as number,
    converged: r.converged as boolean,
    eta: k.map((i) => r[`e${i}`] as number),
    sd: k.map((i) => (r[`s${i}`] as number | null) ?? null),
    shrinkage: k.map((i) => (r[`k${i}`] as number | null) ?? null),
    note: (r.note as string) ?? ''
  }));
  const eta = Float64Array.from(patients.flatMap((p) => p.eta));
  return {
    etaNames: info.etaNames,
    patients,
    populationShrinkage: Array.from(populationShrinkage(eta, n, Float64Array.from(info.omega))),
    notConverged: patients.filter((p) => !p.converged).length
  };
}
