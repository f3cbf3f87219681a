/**
 * Everything a fit needs from a population model, built once and shared by every patient
 * fitted with it: the model, its individual-parameter model (typical values, covariate
 * effects, η → parameters, the prior), its residual error model (the likelihood of an
 * observation) and a simulator. The same pieces a trial uses: a twin of a real patient is
 * simulated exactly as a virtual twin would be.
 */
import { IndividualParameterModel } from '../models/individualParameters';
import type { ModelDefinition } from '../models/modelDefinition';
import { ResidualErrorModel } from '../models/residualError';
import { createTwinSimulator } from '../models/simulateChunk';
import type { ModelSpec } from '../models/spec';
import type { SimulationOptions, TwinSimulator } from '../models/twinSimulator';

/** ODE tolerances a fit needs at least (see `calibrationModel`). */
const FIT_RTOL = 1e-8;
const FIT_ATOL = 1e-10;

export interface CalibrationModel {
  model: ModelDefinition;
  spec: ModelSpec;
  parameters: IndividualParameterModel;
  residual: ResidualErrorModel;
  simulator: TwinSimulator;
  simulation: SimulationOptions;
  /** Covariates the typical values depend on, in the order `parameters` reads them. */
  covariateNames: string[];
  /** Outputs (indices into model.outputs) that have a residual error model. */
  observable: number[];
}

/** Thrown when a model cannot be calibrated (no variability, nothing observable). */
export class CalibrationModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationModelError';
  }
}

/** The covariates a model spec's typical values depend on (the model's own, then the spec's). */
export function calibrationCovariates(model: ModelDefinition, spec: ModelSpec): string[] {
  const names = [...(model.covariateEffects?.covariates ?? [])];
  for (const c of spec.covariates ?? []) if (!names.includes(c.covariate)) names.push(c.covariate);
  return names;
}

export function calibrationModel(
  model: ModelDefinition,
  spec: ModelSpec,
  simulation: SimulationOptions = {}
): CalibrationModel {
  const covariateNames = calibrationCovariates(model, spec);
  const parameters = new IndividualParameterModel(model, spec, covariateNames);
  if (parameters.nEtas === 0) {
    throw new CalibrationModelError(
      `model ${model.name} has no between-subject variability (iiv or a variability block): a patient's data cannot move its parameters from the typical values`
    );
  }
  const residual = new ResidualErrorModel(model, spec.residualError);
  const observable = model.outputs.map((_, o) => o).filter((o) => residual.outputHasError(o));
  if (observable.length === 0) {
    throw new CalibrationModelError(
      `model ${model.name} has no residual error on any output (outputs: ${model.outputs.map((o) => o.name).join(', ')}): give one, e.g. 'C = C [mg/L] ~ proportional(0.1)' or residualError in the protocol, so observations have a likelihood`
    );
  }
  // The fit differentiates the objective by finite differences, which amplify solver
  // error: at the trial default (rtol 1e-6) the Laplace variances of an indirect-response
  // model were 15 % off R's; at 1e-8 they agree to 2e-5 (tests/golden/calibration-map).
  const options = {
    ...spec.solver,
    rtol: Math.min(spec.solver?.rtol ?? FIT_RTOL, FIT_RTOL),
    atol: Math.min(spec.solver?.atol ?? FIT_ATOL, FIT_ATOL),
    ...simulation
  };
  return {
    model,
    spec,
    parameters,
    residual,
    simulator: createTwinSimulator(model, options),
    simulation: options,
    covariateNames,
    observable
  };
}
