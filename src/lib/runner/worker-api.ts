import { compileCohort, type ImportedTable } from '../engine/cohort/compile-cohort';
import { generateCohortChunk, type CohortChunk } from '../engine/cohort/generate-chunk';
import type { CohortPlan } from '../engine/cohort/plan';
import type { CohortSpec } from '../spec/cohort-schema';
import {
  calibratePatients,
  type CalibrationBlock,
  type CalibrationOptions
} from '../engine/calibration/calibrate-patients';
import { calibrationModel, type CalibrationModel } from '../engine/calibration/calibration-model';
import type { PatientRecord } from '../engine/calibration/patient-record';
import { compareRegimens, type RegimenComparison } from '../engine/calibration/compare-regimens';
import type { CandidateRegimen, ExposureTarget } from '../engine/calibration/forecast';
import { PatientObjective } from '../engine/calibration/patient-objective';
import {
  patientPosterior,
  type PatientPosterior,
  type PatientPosteriorOptions
} from '../engine/calibration/patient-posterior';
import type { PosteriorDraws } from '../engine/calibration/sample-posterior';
import { parseModelSpec, type ModelSpec } from '../engine/models/spec';
import {
  analyzeReplicate,
  analyzeReplicateRepeated,
  ANALYSIS_FIELDS,
  type ReplicateAnalysisRequest
} from '../analysis/replicate-analysis';
import { replicateTrueEffects } from '../analysis/replicate-true-effects';
import { replicateSeed } from '../engine/trial/replicate-seed';
import { allocatesSequentially, predictionTwin, predictTwin, sequentialArms } from '../engine/trial';
import {
  compileProtocol,
  simulateTrialChunk,
  type ResolvedProtocol,
  type TrialChunk,
  type TrialPlan
} from '../engine/trial';

/**
 * What a worker can do: the engine's chunk functions, exposed through comlink. The same
 * object runs in a browser Web Worker, a Node worker_thread, or in-process (0 workers).
 * Results are copied back (structured clone), not transferred: a transfer detaches the
 * worker's buffer, and once any buffer in a thread has been detached V8 checks every
 * typed-array access of optimised code for it (its ArrayBufferDetaching protector),
 * which made BM1's full ODE 28% and its hybrid path 6-10% slower for the worker's life.
 * Copying a chunk's few megabytes takes about a millisecond.
 */
/** What `powerReplicates` returns: typed arrays only (see there). */
export interface PowerReplicates {
  primary: Float64Array;
  analyses: Float64Array;
  truth: Float64Array;
}

let cohortPlan: CohortPlan | undefined;
let trialPlan: TrialPlan | undefined;
let calibration: CalibrationModel | undefined;
/** The patient fitted last by `fitOnePatient`, whose draws `compareRegimens` forecasts. */
let patient: { objective: PatientObjective; draws: PosteriorDraws } | undefined;

export const workerApi = {
  /** Compiles a cohort spec in this worker; later chunk calls use it. */
  prepareCohort(spec: CohortSpec, imported?: ImportedTable): void {
    cohortPlan = compileCohort(spec, imported);
  },

  generateCohortChunk(seed: number, firstId: number, count: number): CohortChunk {
    if (!cohortPlan) throw new Error('prepareCohort must be called before generateCohortChunk');
    return generateCohortChunk(cohortPlan, seed, firstId, count);
  },

  /** Compiles a resolved protocol in this worker; later trial chunks use it. */
  prepareTrial(protocol: ResolvedProtocol): void {
    trialPlan = compileProtocol(protocol);
  },

  /**
   * Predicted profiles (no residual error, nominal doses) of twins [firstId,
   * firstId+count) under one arm on the protocol's observation grid:
   * out[(j·nOutputs + o)·nTimes + k]. Typed arrays only, nothing stored.
   */
  predictChunk(firstId: number, count: number, arm: number): Float64Array {
    const plan = trialPlan;
    if (!plan) throw new Error('prepareTrial must be called before predictChunk');
    const size = plan.model.outputs.length * plan.times.length;
    const out = new Float64Array(count * size);
    for (let j = 0; j < count; j++) {
      const twin = predictionTwin(plan, firstId + j);
      predictTwin(plan, twin, arm, plan.times, out.subarray(j * size, (j + 1) * size));
    }
    return out;
  },

  /**
   * Simulates whole trials of n twins for replicates [first, first+count) and returns
   * each one's primary analysis in `primary`: per replicate and active arm, estimate, CI low,
   * CI high, p and Holm-adjusted p (replicate-major). With a `request`, also each replicate's
   * repeated-measures analyses of the primary endpoint (`analyses`: replicate, analysis, active
   * arm, ANALYSIS_FIELDS each) and its estimands' true effects (`truth`: replicate, estimand,
   * active arm). Nothing else leaves the worker.
   */
  powerReplicates(
    n: number,
    first: number,
    count: number,
    control: number,
    request?: ReplicateAnalysisRequest
  ): PowerReplicates {
    const plan = trialPlan;
    if (!plan) throw new Error('prepareTrial must be called before powerReplicates');
    const active = plan.arms.length - 1;
    const primary = new Float64Array(count * active * 5);
    const perAnalyses = request ? request.methods.length * active * ANALYSIS_FIELDS : 0;
    const perTruth = request ? request.estimands.length * active : 0;
    const analyses = new Float64Array(count * perAnalyses);
    const truth = new Float64Array(count * perTruth);
    const endpoint = plan.endpoints[plan.primary];
    let k = 0;
    for (let r = first; r < first + count; r++) {
      const stratified = allocatesSequentially(plan.allocation) ? sequentialArms(plan, r, n) : undefined;
      // Without a request nothing reads the true effects: no twin is simulated for them.
      const truthTwins = request ? request.truthTwins : 0;
      const chunk = simulateTrialChunk(plan, r, 1, n, stratified?.arms, stratified?.strata, truthTwins);
      for (const a of analyzeReplicate(chunk, plan.primary, endpoint.spec.type, plan.arms.length, control)) {
        primary[k++] = a.estimate;
        primary[k++] = a.ciLow;
        primary[k++] = a.ciHigh;
        primary[k++] = a.pValue;
        primary[k++] = a.pAdjusted;
      }
      if (request) {
        const seed = replicateSeed(plan.protocol.seed, r);
        analyzeReplicateRepeated(chunk, plan, control, request, seed, analyses, (r - first) * perAnalyses);
        replicateTrueEffects(chunk, plan, request.estimands, control, truth, (r - first) * perTruth);
      }
    }
    return { primary, analyses, truth };
  },

  /** Builds the calibration model of a resolved model spec (a text model's text included). */
  prepareCalibration(spec: ModelSpec): void {
    const { model, spec: resolved } = parseModelSpec(spec);
    calibration = calibrationModel(model, resolved);
  },

  /** Fits patients `firstIndex`, `firstIndex + 1`, … of the data (their index keys their draws). */
  calibrateChunk(
    records: PatientRecord[],
    firstIndex: number,
    options: CalibrationOptions
  ): CalibrationBlock {
    if (!calibration) throw new Error('prepareCalibration must be called before calibrateChunk');
    return calibratePatients(calibration, records, firstIndex, options);
  },

  /**
   * Fits one patient with the prepared model, draws its posterior and its profile (the
   * Calibrate page, off the page's thread); the patient is kept for `compareRegimens`.
   */
  fitOnePatient(record: PatientRecord, options: PatientPosteriorOptions): PatientPosterior {
    if (!calibration) throw new Error('prepareCalibration must be called before fitOnePatient');
    const objective = new PatientObjective(calibration, record);
    const posterior = patientPosterior(objective, options);
    patient = { objective, draws: posterior.draws };
    return posterior;
  },

  /** Candidate regimens forecast for the patient of the last `fitOnePatient`, and the one recommended. */
  compareRegimens(
    regimens: CandidateRegimen[],
    target: ExposureTarget,
    threshold: number
  ): RegimenComparison {
    if (!patient) throw new Error('fitOnePatient must be called before compareRegimens');
    return compareRegimens(patient.objective, patient.draws, regimens, target, threshold);
  },

  simulateTrialChunk(
    replicate: number,
    firstId: number,
    count: number,
    arms?: Int16Array,
    strata?: Int32Array
  ): TrialChunk {
    if (!trialPlan) throw new Error('prepareTrial must be called before simulateTrialChunk');
    return simulateTrialChunk(trialPlan, replicate, firstId, count, arms, strata);
  }
};

export type WorkerApi = typeof workerApi;
