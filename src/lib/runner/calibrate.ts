import type { Connector } from '../db/connector';
import {
  abandonCalibration,
  beginCalibration,
  completeCalibration,
  insertCalibrationBlock
} from '../db/calibration-store';
import type { CalibrationBlock, CalibrationOptions } from '../engine/calibration/calibrate-patients';
import { calibrationModel, type CalibrationModel } from '../engine/calibration/calibration-model';
import { PatientObjective } from '../engine/calibration/patient-objective';
import { PatientDataError, type PatientRecord } from '../engine/calibration/patient-record';
import { parseModelSpec, type ModelSpec } from '../engine/models/spec';
import { cleanUpAndThrow, endedBy } from './cleanup';
import { CancelledError, type WorkerPool } from './pool';

export interface RunCalibrationOptions {
  db: Connector;
  pool: WorkerPool;
  /** A label for the calibration (e.g. the data file's name). */
  name: string;
  /** The resolved model spec: a text model's text included, so workers need no files. */
  modelSpec: ModelSpec;
  records: readonly PatientRecord[];
  /** The data file the records came from, recorded with the calibration. */
  dataFile?: string;
  options?: CalibrationOptions;
  /** Patients per chunk (results are identical for any value). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface CalibrationRun {
  calibrationId: number;
  nPatients: number;
  seconds: number;
}

/** A fit takes milliseconds: chunks of this many patients keep every worker busy and progress moving. */
const DEFAULT_CHUNK = 25;

/**
 * The covariate columns a calibration records: those the model's typical values use, in
 * that order, then every other covariate of the data in order of first appearance.
 */
export function recordedCovariates(
  modelCovariates: readonly string[],
  records: readonly PatientRecord[]
): string[] {
  const names = [...modelCovariates];
  const seen = new Set(names);
  for (const r of records) {
    for (const c of Object.keys(r.covariates)) {
      if (!seen.has(c)) {
        seen.add(c);
        names.push(c);
      }
    }
  }
  return names;
}

/**
 * Refuses data the model cannot fit (a covariate it needs missing, an observed output
 * without residual error, no observations), every patient's problem at once: building a
 * patient's objective checks exactly what its fit will need.
 */
function checkRecords(calibration: CalibrationModel, records: readonly PatientRecord[]): void {
  if (records.length === 0) throw new PatientDataError(['the data has no patients to fit']);
  const problems: string[] = [];
  for (const record of records) {
    try {
      new PatientObjective(calibration, record);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (problems.length) throw new PatientDataError(problems);
}

/**
 * Fits every patient of a data set with one model (MAP, Laplace covariance, optionally SIR)
 * into the database: records the calibration, hands chunks of patients to the workers and
 * stores each block as it arrives. The calibration is marked complete only when every
 * patient is stored; on an error or cancellation it is marked failed/cancelled and its rows
 * deleted. Patient k of the data keys its own random draws, so the results do not depend
 * on the number of workers or the chunk size.
 */
export async function runCalibration(options: RunCalibrationOptions): Promise<CalibrationRun> {
  const { db, pool, records, onProgress, signal } = options;
  const started = performance.now();
  // Everything that can be refused is refused here, before anything is written.
  const { model, spec } = parseModelSpec(options.modelSpec);
  const calibration = calibrationModel(model, spec);
  checkRecords(calibration, records);
  const covariateNames = recordedCovariates(calibration.covariateNames, records);
  const fitOptions: CalibrationOptions = { ...options.options };
  if (signal?.aborted) throw new CancelledError();
  const calibrationId = await beginCalibration(db, {
    name: options.name,
    model: model.name,
    modelSpec: spec,
    dataFile: options.dataFile,
    etaNames: calibration.parameters.etaNames,
    parameterNames: model.parameters.map((p) => p.name),
    covariateNames,
    omega: calibration.parameters.omega,
    options: fitOptions,
    nPatients: records.length
  });
  try {
    const size = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
    const tasks: { first: number; count: number }[] = [];
    for (let first = 1; first <= records.length; first += size)
      tasks.push({ first, count: Math.min(size, records.length - first + 1) });
    const outputs = model.outputs.map((o) => o.name);
    let done = 0;
    onProgress?.(0, records.length);
    await pool.map(
      tasks,
      (api, t) =>
        Promise.resolve(
          api.calibrateChunk(records.slice(t.first - 1, t.first - 1 + t.count), t.first, fitOptions)
        ),
      {
        init: (api) => api.prepareCalibration(spec),
        onResult: async (block: CalibrationBlock, t) => {
          const covariates = new Float64Array(t.count * covariateNames.length);
          for (let r = 0; r < t.count; r++) {
            const values = records[t.first - 1 + r].covariates;
            covariateNames.forEach((c, k) => (covariates[r * covariateNames.length + k] = values[c] ?? NaN));
          }
          await insertCalibrationBlock(db, calibrationId, block, covariates, outputs);
          done += t.count;
          onProgress?.(done, records.length);
        },
        signal
      }
    );
    const seconds = (performance.now() - started) / 1000;
    await completeCalibration(db, calibrationId, seconds);
    return { calibrationId, nPatients: records.length, seconds };
  } catch (e) {
    const { status, error, thrown } = endedBy(e, signal);
    return cleanUpAndThrow(thrown, () => abandonCalibration(db, calibrationId, status, error));
  }
}
