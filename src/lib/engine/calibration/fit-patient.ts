/**
 * The maximum a posteriori fit of one patient: the etas minimising the MAP objective
 * (`PatientObjective`), started from the population (η = 0), by quasi-Newton with
 * restarts and a Nelder–Mead fallback (`stats/minimize`); then its uncertainty by the
 * Laplace approximation — the posterior as a normal with covariance (H/2)⁻¹, H the
 * Hessian of the objective (−2 log posterior) at the mode — and the diagnostics a
 * pharmacometrician reads: individual and population predictions, individual weighted
 * residuals IWRES = (y − IPRED)/sd(IPRED), and each eta's shrinkage
 * 1 − √(1 − Var_posterior/ω²): how little the data inform it, 0 when they fix it, 1 when
 * the posterior is the prior. It is the individual form of the population η-shrinkage
 * 1 − SD(η̂)/ω (Savic RM, Karlsson MO, AAPS J 2009;11:558–569): in a model linear in η,
 * Var(η̂) = ω² − Var_posterior, so the two agree on average.
 */
import { cholesky, choleskyInverse } from '../../stats/linalg';
import { minimize } from '../../stats/minimize';
import { numericHessian } from '../../stats/numericHessian';
import { CalibrationModelError } from './calibration-model';
import type { PatientObjective } from './patient-objective';

export interface PatientFit {
  id: string;
  /** MAP etas, in the variability's order. */
  eta: Float64Array;
  /** Individual parameters at the MAP (model.parameters order). */
  parameters: Float64Array;
  /** Typical parameters of this patient (covariates applied, η = 0). */
  typical: Float64Array;
  /** The objective at the MAP and at η = 0. */
  ofv: number;
  populationOfv: number;
  converged: boolean;
  method: 'bfgs' | 'nelder-mead';
  evaluations: number;
  message: string;
  /** Laplace posterior covariance of the etas (nEtas × nEtas), or null with `laplaceProblem`. */
  covariance: Float64Array | null;
  laplaceProblem?: string;
  /** 1 − √(1 − posterior variance / ω²), per eta (NaN when there is no covariance). */
  shrinkage: Float64Array;
  /** Per observation: individual prediction, population prediction, IWRES (NaN when BLQ). */
  ipred: Float64Array;
  pred: Float64Array;
  iwres: Float64Array;
}

export interface FitOptions {
  maxEvaluations?: number;
}

/** Predictions of every observation at `eta` (after objective.predict). */
function predictionsAt(objective: PatientObjective, eta: Float64Array): Float64Array {
  const ok = objective.predict(eta);
  return Float64Array.from({ length: objective.nObservations }, (_, j) =>
    ok ? objective.predicted(j) : NaN
  );
}

/** The Laplace covariance 2·H⁻¹ of the etas at the mode, or why there is none. */
export function laplaceCovariance(
  objective: PatientObjective,
  eta: Float64Array,
  ofv: number
): { covariance: Float64Array | null; problem?: string } {
  const n = eta.length;
  const f = (x: Float64Array) => objective.value(x);
  const h = numericHessian(f, eta, ofv);
  if (!h.every(Number.isFinite))
    return { covariance: null, problem: 'the objective is not finite next to the estimate' };
  const l = cholesky(h, n);
  if (!l) {
    return {
      covariance: null,
      problem:
        'the objective is not convex at the estimate (Hessian not positive definite): the data may not identify every eta'
    };
  }
  const inverse = choleskyInverse(l, n);
  for (let i = 0; i < inverse.length; i++) inverse[i] *= 2;
  return { covariance: inverse };
}

export function fitPatient(objective: PatientObjective, options: FitOptions = {}): PatientFit {
  const { parameters, residual, model, spec } = objective.calibration;
  const nEta = parameters.nEtas;
  const f = (x: Float64Array) => objective.value(x);
  const start = new Float64Array(nEta);
  const populationOfv = f(start);
  if (!Number.isFinite(populationOfv)) {
    // The data and the model disagree (e.g. a dose into a state the model cannot take, a
    // covariate far outside the model's range): bad input, named, not an internal error.
    throw new CalibrationModelError(
      `patient ${objective.record.id}: the model cannot be solved at this patient's typical parameters (or gives a prediction that is not finite), so there is nothing to start the fit from; check the patient's records against the model (doses, covariates, and values its residual error allows: DV > 0 under exponential error)`
    );
  }
  const before = objective.evaluations;
  const result = minimize(f, start, { maxEvaluations: options.maxEvaluations ?? 5000 });
  const eta = result.x;
  const ofv = result.value;
  const laplace = laplaceCovariance(objective, eta, ofv);
  const evaluations = objective.evaluations - before;

  const pred = predictionsAt(objective, start);
  const ipred = predictionsAt(objective, eta);
  const individual = Float64Array.from(objective.params);
  const obs = objective.record.observations;
  const iwres = Float64Array.from(ipred, (f, j) => {
    if (obs.blq[j] === 1) return NaN;
    const o = obs.output[j];
    const sd = residual.sd(o, f);
    const logScale = spec.residualError?.[model.outputs[o].name]?.type === 'exponential';
    return logScale ? (Math.log(obs.value[j]) - Math.log(f)) / sd : (obs.value[j] - f) / sd;
  });
  const omega = parameters.omega;
  const shrinkage = Float64Array.from({ length: nEta }, (_, k) =>
    laplace.covariance
      ? 1 - Math.sqrt(Math.max(0, 1 - laplace.covariance[k * nEta + k] / omega[k * nEta + k]))
      : NaN
  );
  return {
    id: objective.record.id,
    eta,
    parameters: individual,
    typical: Float64Array.from(objective.typical),
    ofv,
    populationOfv,
    converged: result.converged,
    method: result.method,
    evaluations,
    message: result.message,
    covariance: laplace.covariance,
    laplaceProblem: laplace.problem,
    shrinkage,
    ipred,
    pred,
    iwres
  };
}
