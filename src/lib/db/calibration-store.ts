import { nextId } from './next-id';
import { Bool, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { CalibrationBlock } from '../engine/calibration/calibrate-patients';
import { METHOD_BFGS } from '../engine/calibration/calibrate-patients';
import { APP_VERSION } from '../version';
import { doublesOrNull, fixedDoubleLists } from './arrow-columns';
import { execEach, sqlString, type Connector } from './connector';
import { ensureSchema, ensureWriterColumns, writerValues } from './schema';

/**
 * Calibrations in DuckDB (write side): one `calibration` row per fit of a data file with
 * a model (its resolved model spec with the model text, the names that give the lists
 * their meaning, options, status), one `calibration_fit` row per patient (etas, their
 * Laplace covariance, shrinkage, individual and typical parameters and the SIR moments as
 * DOUBLE[] lists in those names' order; covariates as a list in `covariate_names` order)
 * and one `calibration_observation` row per observation with its predictions. A failed
 * or cancelled calibration keeps its row (status, error) and no fits or observations.
 */
export const CALIBRATION_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS calibration (
  calibration_id INTEGER NOT NULL, name VARCHAR NOT NULL, model VARCHAR NOT NULL, model_spec VARCHAR NOT NULL,
  data_file VARCHAR, eta_names VARCHAR NOT NULL, parameter_names VARCHAR NOT NULL,
  covariate_names VARCHAR NOT NULL, omega DOUBLE[] NOT NULL, options VARCHAR NOT NULL, n_patients INTEGER NOT NULL,
  status VARCHAR NOT NULL, error VARCHAR, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, seconds DOUBLE,
  app_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS calibration_fit (
  calibration_id INTEGER, patient INTEGER, id VARCHAR, covariates DOUBLE[], eta DOUBLE[], covariance DOUBLE[],
  shrinkage DOUBLE[], parameters DOUBLE[], typical DOUBLE[], ofv DOUBLE, population_ofv DOUBLE,
  converged BOOLEAN, method VARCHAR, evaluations INTEGER, note VARCHAR,
  sir_mean DOUBLE[], sir_covariance DOUBLE[], sir_ess DOUBLE
);
CREATE TABLE IF NOT EXISTS calibration_observation (
  calibration_id INTEGER, patient INTEGER, time_h DOUBLE, output VARCHAR, dv DOUBLE, blq BOOLEAN,
  pred DOUBLE, ipred DOUBLE, iwres DOUBLE
);
`;

/** The tables holding a calibration's rows (by calibration_id). */
export const CALIBRATION_DATA_TABLES = ['calibration_fit', 'calibration_observation'] as const;

export async function ensureCalibrationSchema(db: Connector): Promise<void> {
  await ensureSchema(db);
  await db.exec(CALIBRATION_SCHEMA_SQL);
  await ensureWriterColumns(db, 'calibration');
}

export interface CalibrationHeader {
  name: string;
  /** The model's name. */
  model: string;
  /** The resolved model spec (with the model text), as JSON. */
  modelSpec: unknown;
  dataFile?: string;
  etaNames: readonly string[];
  parameterNames: readonly string[];
  covariateNames: readonly string[];
  /** Ω, nEta × nEta row-major. */
  omega: Float64Array;
  options: unknown;
  nPatients: number;
}

/** Records a calibration as running; returns its id. */
export async function beginCalibration(db: Connector, h: CalibrationHeader): Promise<number> {
  await ensureCalibrationSchema(db);
  const id = await nextId(db, 'calibration');
  const json = (v: unknown) => sqlString(JSON.stringify(v));
  await db.exec(
    `INSERT INTO calibration (calibration_id, name, model, model_spec, data_file, eta_names, parameter_names, covariate_names, omega, options, n_patients, status, started_at, app_version, writer_pid, writer_host) VALUES (` +
      [
        id,
        sqlString(h.name),
        sqlString(h.model),
        json(h.modelSpec),
        h.dataFile === undefined ? 'NULL' : sqlString(h.dataFile),
        json(h.etaNames),
        json(h.parameterNames),
        json(h.covariateNames),
        // Written as text so every digit survives: a double's shortest round-trip form.
        `[${Array.from(h.omega, (x) => `${x}::DOUBLE`).join(', ')}]::DOUBLE[]`,
        json(h.options),
        h.nPatients,
        `'running'`,
        'current_timestamp',
        sqlString(APP_VERSION),
        ...writerValues(db)
      ].join(', ') +
      ')'
  );
  return id;
}

/**
 * Appends one block of fitted patients. `covariates` holds each patient's values in the
 * calibration's covariate order (n × covariate_names, NaN when the patient has none);
 * `outputs` names the model's outputs by index.
 */
export async function insertCalibrationBlock(
  db: Connector,
  calibrationId: number,
  b: CalibrationBlock,
  covariates: Float64Array,
  outputs: readonly string[]
): Promise<void> {
  const n = b.index.length;
  if (n === 0) return;
  const nCov = covariates.length / n;
  const eta2 = b.nEta * b.nEta;
  const laplace = (r: number) => !Number.isNaN(b.covariance[r * eta2]);
  const sir = (r: number) => !Number.isNaN(b.sirMean[r * b.nEta]);
  await db.insertArrow(
    'calibration_fit',
    new Table({
      calibration_id: makeVector(new Int32Array(n).fill(calibrationId)),
      patient: makeVector(b.index),
      id: vectorFromArray(b.ids, new Utf8()),
      covariates: fixedDoubleLists(n, nCov, covariates),
      eta: fixedDoubleLists(n, b.nEta, b.eta),
      covariance: fixedDoubleLists(n, eta2, b.covariance, laplace),
      shrinkage: fixedDoubleLists(n, b.nEta, b.shrinkage, laplace),
      parameters: fixedDoubleLists(n, b.nParameters, b.parameters),
      typical: fixedDoubleLists(n, b.nParameters, b.typical),
      ofv: makeVector(b.ofv),
      population_ofv: makeVector(b.populationOfv),
      converged: vectorFromArray(
        Array.from(b.converged, (c) => c === 1),
        new Bool()
      ),
      method: vectorFromArray(
        Array.from(b.method, (m) => (m === METHOD_BFGS ? 'bfgs' : 'nelder-mead')),
        new Utf8()
      ),
      evaluations: makeVector(b.evaluations),
      note: vectorFromArray(b.notes, new Utf8()),
      sir_mean: fixedDoubleLists(n, b.nEta, b.sirMean, sir),
      sir_covariance: fixedDoubleLists(n, eta2, b.sirCovariance, sir),
      sir_ess: doublesOrNull(b.sirEss)
    })
  );
  const m = b.obsPatient.length;
  if (m === 0) return;
  await db.insertArrow(
    'calibration_observation',
    new Table({
      calibration_id: makeVector(new Int32Array(m).fill(calibrationId)),
      patient: makeVector(Int32Array.from(b.obsPatient, (r) => b.index[r])),
      time_h: makeVector(b.obsTime),
      output: vectorFromArray(
        Array.from(b.obsOutput, (o) => outputs[o]),
        new Utf8()
      ),
      dv: doublesOrNull(b.obsValue),
      blq: vectorFromArray(
        Array.from(b.obsBlq, (x) => x === 1),
        new Bool()
      ),
      pred: doublesOrNull(b.pred),
      ipred: doublesOrNull(b.ipred),
      iwres: doublesOrNull(b.iwres)
    })
  );
}

/** Marks the calibration complete. */
export async function completeCalibration(
  db: Connector,
  calibrationId: number,
  seconds: number
): Promise<void> {
  await db.exec(
    `UPDATE calibration SET status = 'complete', finished_at = current_timestamp, seconds = ${seconds} ` +
      `WHERE calibration_id = ${calibrationId}`
  );
}

/** Marks a calibration failed, cancelled or interrupted and deletes its rows (every step tried). */
export async function abandonCalibration(
  db: Connector,
  calibrationId: number,
  status: 'failed' | 'cancelled' | 'interrupted',
  error: string
): Promise<void> {
  await execEach(db, [
    `UPDATE calibration SET status = ${sqlString(status)}, error = ${sqlString(error)}, finished_at = current_timestamp ` +
      `WHERE calibration_id = ${calibrationId}`,
    ...CALIBRATION_DATA_TABLES.map((t) => `DELETE FROM ${t} WHERE calibration_id = ${calibrationId}`)
  ]);
}
