import type { CohortPlan } from '../cohort/plan';
import {
  createTwinSimulator,
  ResidualErrorModel,
  type ModelDefinition,
  type ModelSpec,
  type TwinSimulator
} from '../models';
import type { ParameterSource } from '../models/parameter-source';
import { checkUnique, IssueList, type SpecPath } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import type { AllocationPlan } from './allocate';
import { compileAllocation } from './compile-allocation';
import { compileArms, type CompiledArm } from './compile-arms';
import { compileCompanion, type CompiledCompanion } from './compile-companion';
import { compileDesign } from './compile-design';
import { compileDropout } from './compile-dropout';
import { compileEndpoints, type CompiledEndpoint } from './compile-endpoints';
import { compileEstimands, type CompiledEstimand } from './compile-estimands';
import { compileIntercurrent, type CompiledIntercurrent } from './compile-intercurrent';
import { compileParameterSource } from './compile-parameter-source';
import { compileParameters } from './compile-parameters';
import { compileSchedule, visitObservation } from './compile-schedule';
import { checkTrialImport, compileTrialCohort, type ResolvedProtocol } from './compile-trial-cohort';
import { compileTrialModel } from './compile-trial-model';
import type { Dropout } from './dropout-time';
import type { Adherence } from './missed-doses';
import { checkProtocolSize } from './protocol-size';

export type { CompiledArm } from './compile-arms';
export type { CompiledCompanion } from './compile-companion';
export type { CompiledEndpoint } from './compile-endpoints';
export type { ResolvedProtocol } from './compile-trial-cohort';

/**
 * A protocol checked against its cohort and model and compiled for simulation. Like a
 * cohort plan it holds closures, so each worker compiles its own from the resolved
 * (serialisable) protocol.
 */
export interface TrialPlan {
  protocol: ProtocolSpec;
  cohort: CohortPlan;
  model: ModelDefinition;
  modelSpec: ModelSpec;
  /** The population model, or each twin's posterior for a cohort of calibrated twins. */
  parameters: ParameterSource;
  /** Names of the covariates the parameter model reads, in its column order. */
  covariateNames: readonly string[];
  /** Per-replicate uncertainty of typical values: parameter index and SD of its log. */
  uncertainty: { parameter: number; sd: number }[];
  companion?: CompiledCompanion;
  /** Crossover: the washout between periods (h); undefined for other designs. */
  washout?: number;
  /** Cohort column slot of each covariate the parameter source reads (`covariateNames`). */
  covariateSlots: Int32Array;
  /** Parameters taken from twin covariates: parameter index → cohort slot. */
  individual: { parameter: number; slot: number }[];
  simulator: TwinSimulator;
  residual: ResidualErrorModel;
  arms: CompiledArm[];
  allocation: AllocationPlan;
  strataSlots: number[];
  /** Observation grid (h): visits, PK samples and the dense grid, sorted and unique. */
  times: Float64Array;
  /** Observation index of each visit; visit 0 is baseline. */
  visitIndex: Int32Array;
  visitWindow: Float64Array;
  /** Outputs recorded as observations. */
  observed: number[];
  /**
   * Indices into `times` of the visits and PK samples (every index without a dense grid).
   * NCA and residual-error draws use these only, so storing dense profiles changes no
   * visit observation or endpoint.
   */
  sampledIndex: Int32Array;
  /** The dense grid's other indices (none without a dense grid). */
  denseOnlyIndex: Int32Array;
  endpoints: CompiledEndpoint[];
  primary: number;
  dropout?: Dropout;
  adherence?: Adherence;
  /** Treatment discontinuation, loss to follow-up and rescue medication. */
  intercurrent?: CompiledIntercurrent;
  /** The visit endpoints' estimands whose true values the run computes (none: no truth). */
  estimands: CompiledEstimand[];
  /** Cohort slots for weight and BSA (mg/kg and mg/m² dosing), -1 when absent. */
  weightSlot: number;
  bsaSlot: number;
}

/**
 * Compiles a protocol against its cohort and model, one concept after another; every
 * cross-field problem is collected with its path (in this order) and thrown together.
 * The cohort's and the model's own problems are thrown first, on their own.
 */
export function compileProtocol(protocol: ResolvedProtocol): TrialPlan {
  const issues = new IssueList();
  const cohort = compileTrialCohort(protocol);
  const { model, modelSpec } = compileTrialModel(protocol, cohort);
  const outputNames = model.outputs.map((o) => o.name);
  const outputIndex = (name: string, path: SpecPath): number => {
    const i = outputNames.indexOf(name);
    if (i < 0)
      issues.add(path, `model ${model.name} has no output '${name}' (outputs: ${outputNames.join(', ')})`);
    return i;
  };
  const compiledParameters = compileParameters(protocol, model, modelSpec, cohort, issues);
  checkTrialImport(protocol, cohort, issues);
  const washout = compileDesign(protocol, issues);

  // Schedule: the observation grid.
  const grid = compileSchedule(protocol.schedule, issues);
  const visitIndex = (t: number, path: SpecPath) => visitObservation(grid, t, path, issues);
  const observed = (protocol.observe ?? outputNames).map((n, i) => outputIndex(n, ['observe', i]));
  checkUnique(
    issues,
    'observed outputs',
    (protocol.observe ?? []).map((name, i) => ({ name, path: ['observe', i] }))
  );

  const companion = compileCompanion(protocol, cohort, outputIndex, issues);
  const arms = compileArms({ protocol, model, cohort, companion, observed, visitIndex, issues });
  const { allocation, strataSlots } = compileAllocation(protocol, cohort, issues);
  const { endpoints, primary } = compileEndpoints({
    protocol,
    model,
    simOptions: modelSpec.solver ?? {},
    issues,
    outputIndex,
    observed,
    visitIndex,
    slotOf: cohort.slotOf,
    cohortNames: cohort.names
  });
  const dropout = compileDropout(protocol, outputIndex);
  const intercurrent = compileIntercurrent({
    protocol,
    grid,
    outputIndex,
    slotOf: cohort.slotOf,
    cohortNames: cohort.names,
    issues
  });
  const estimands = compileEstimands(protocol, issues);
  const adherence = protocol.adherence
    ? { missed: protocol.adherence.missedDose, stayMissing: protocol.adherence.markov?.stayMissing }
    : undefined;
  // Twins of calibrated patients: each twin's parameters from its own posterior.
  const { parameters, covariateSlots } = compileParameterSource(
    protocol,
    model,
    modelSpec,
    compiledParameters,
    cohort.slotOf,
    issues
  );

  checkProtocolSize(
    protocol,
    {
      twins: protocol.cohort.n ?? cohort.spec.n,
      times: grid.times.length,
      densePoints: grid.densePoints,
      outputs: model.outputs.length + (companion?.model.outputs.length ?? 0),
      observed: observed.length,
      endpoints: protocol.endpoints.length
    },
    issues
  );
  issues.throwIfAny();
  return {
    protocol,
    cohort: cohort.plan,
    model,
    modelSpec,
    parameters,
    covariateNames: parameters.covariateNames,
    uncertainty: compiledParameters.uncertainty,
    companion,
    washout,
    covariateSlots,
    individual: compiledParameters.individual,
    simulator: createTwinSimulator(model, modelSpec.solver ?? {}),
    residual: new ResidualErrorModel(model, modelSpec.residualError),
    arms,
    allocation,
    strataSlots,
    times: grid.times,
    visitIndex: grid.visitIndex,
    visitWindow: grid.visitWindow,
    observed,
    sampledIndex: grid.sampledIndex,
    denseOnlyIndex: grid.denseOnlyIndex,
    endpoints,
    primary,
    dropout,
    adherence,
    intercurrent,
    estimands,
    weightSlot: cohort.slotOf('weight'),
    bsaSlot: cohort.slotOf('bsa')
  };
}
