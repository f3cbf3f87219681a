/**
 * Fits a block of patients with one calibration model: the worker's unit of calibration
 * work, returned as typed arrays (one row per patient, one per observation) so any
 * number of patients crosses the worker boundary without per-patient objects. Patient k
 * of the data is keyed by its index (from 1) for its posterior draws, so results do not
 * depend on which worker fits it or on the block size.
 */
import type { CalibrationModel } from './calibration-model';
import { fitPatient } from './fit-patient';
import { PatientObjective } from './patient-objective';
import type { PatientRecord } from './patient-record';
import { drawMoments, sirDraws } from './sample-posterior';

export const METHOD_BFGS = 0;
export const METHOD_NELDER_MEAD = 1;

export interface CalibrationOptions {
  /** Also sample each posterior by SIR and keep its moments (the Laplace cross-check). */
  sir?: boolean;
  /** SIR draws kept per patient (default 1000) and seed of the draws (default 1). */
  sirDraws?: number;
  seed?: number;
  maxEvaluations?: number;
}

export interface CalibrationBlock {
  nEta: number;
  nParameters: number;
  /** Per patient (n rows). */
  ids: string[];
  /** Index of each patient in the data (from 1). */
  index: Int32Array;
  eta: Float64Array; // n × nEta
  covariance: Float64Array; // n × nEta², NaN when the Laplace approximation failed
  shrinkage: Float64Array; // n × nEta
  parameters: Float64Array; // n × nParameters (individual, at the MAP)
  typical: Float64Array; // n × nParameters
  ofv: Float64Array;
  populationOfv: Float64Array;
  converged: Uint8Array;
  method: Uint8Array;
  evaluations: Int32Array;
  /** '' or what to know about the fit (non-convergence, a Laplace problem). */
  notes: string[];
  /** SIR cross-check (NaN without `sir`): mean n × nEta, covariance n × nEta², effective sample size. */
  sirMean: Float64Array;
  sirCovariance: Float64Array;
  sirEss: Float64Array;
  /** Per observation (m rows): its patient's row, time, output, DV, BLQ flag, PRED, IPRED, IWRES. */
  obsPatient: Int32Array;
  obsTime: Float64Array;
  obsOutput: Int32Array;
  obsValue: Float64Array;
  obsBlq: Uint8Array;
  pred: Float64Array;
  ipred: Float64Array;
  iwres: Float64Array;
}

export function calibratePatients(
  calibration: CalibrationModel,
  records: readonly PatientRecord[],
  firstIndex: number,
  options: CalibrationOptions = {}
): CalibrationBlock {
  const n = records.length;
  const nEta = calibration.parameters.nEtas;
  const nP = calibration.parameters.nParameters;
  const m = records.reduce((s, r) => s + r.observations.time.length, 0);
  const block: CalibrationBlock = {
    nEta,
    nParameters: nP,
    ids: [],
    index: new Int32Array(n),
    eta: new Float64Array(n * nEta),
    covariance: new Float64Array(n * nEta * nEta).fill(NaN),
    shrinkage: new Float64Array(n * nEta).fill(NaN),
    parameters: new Float64Array(n * nP),
    typical: new Float64Array(n * nP),
    ofv: new Float64Array(n),
    populationOfv: new Float64Array(n),
    converged: new Uint8Array(n),
    method: new Uint8Array(n),
    evaluations: new Int32Array(n),
    notes: [],
    sirMean: new Float64Array(n * nEta).fill(NaN),
    sirCovariance: new Float64Array(n * nEta * nEta).fill(NaN),
    sirEss: new Float64Array(n).fill(NaN),
    obsPatient: new Int32Array(m),
    obsTime: new Float64Array(m),
    obsOutput: new Int32Array(m),
    obsValue: new Float64Array(m),
    obsBlq: new Uint8Array(m),
    pred: new Float64Array(m),
    ipred: new Float64Array(m),
    iwres: new Float64Array(m)
  };
  let o = 0;
  records.forEach((record, r) => {
    const objective = new PatientObjective(calibration, record);
    const fit = fitPatient(objective, { maxEvaluations: options.maxEvaluations });
    block.ids.push(record.id);
    block.index[r] = firstIndex + r;
    block.eta.set(fit.eta, r * nEta);
    if (fit.covariance) block.covariance.set(fit.covariance, r * nEta * nEta);
    block.shrinkage.set(fit.shrinkage, r * nEta);
    block.parameters.set(fit.parameters, r * nP);
    block.typical.set(fit.typical, r * nP);
    block.ofv[r] = fit.ofv;
    block.populationOfv[r] = fit.populationOfv;
    block.converged[r] = fit.converged ? 1 : 0;
    block.method[r] = fit.method === 'bfgs' ? METHOD_BFGS : METHOD_NELDER_MEAD;
    block.evaluations[r] = fit.evaluations;
    block.notes.push([fit.converged ? '' : fit.message, fit.laplaceProblem ?? ''].filter(Boolean).join('; '));
    if (options.sir) {
      const draws = sirDraws(objective, fit, {
        seed: options.seed ?? 1,
        key: firstIndex + r,
        draws: options.sirDraws
      });
      const moments = drawMoments(draws);
      block.sirMean.set(moments.mean, r * nEta);
      block.sirCovariance.set(moments.covariance, r * nEta * nEta);
      block.sirEss[r] = draws.effectiveSampleSize ?? NaN;
    }
    const obs = record.observations;
    for (let j = 0; j < obs.time.length; j++, o++) {
      block.obsPatient[o] = r;
      block.obsTime[o] = obs.time[j];
      block.obsOutput[o] = obs.output[j];
      block.obsValue[o] = obs.value[j];
      block.obsBlq[o] = obs.blq[j];
      block.pred[o] = fit.pred[j];
      block.ipred[o] = fit.ipred[j];
      block.iwres[o] = fit.iwres[j];
    }
  });
  return block;
}

/**
 * Population η-shrinkage per eta, 1 − SD(η̂)/ω (Savic & Karlsson, AAPS J 2009): near 0 the
 * data determine the individual estimates, near 1 they barely move them from the typical.
 */
export function populationShrinkage(eta: Float64Array, nEta: number, omega: Float64Array): Float64Array {
  const n = eta.length / nEta;
  return Float64Array.from({ length: nEta }, (_, k) => {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += eta[r * nEta + k] / n;
    let ss = 0;
    for (let r = 0; r < n; r++) ss += (eta[r * nEta + k] - mean) ** 2;
    return n > 1 ? 1 - Math.sqrt(ss / (n - 1)) / Math.sqrt(omega[k * nEta + k]) : NaN;
  });
}
