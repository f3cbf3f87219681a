export * from './modelDefinition';
export { composePkPd, toOdeModel } from './composePkPd';
export { resolveModel, registerOdeModel, registerPdBlock, modelNames } from './registry';
export { resolveRegimen, repeatedDoses, DoseTargetFactors } from './dosing';
export type { Dose, ResolvedRegimen } from './dosing';
export { simulateChunk, createTwinSimulator } from './simulateChunk';
export type { SimulationOptions, TwinSimulator } from './twinSimulator';
export { ClosedFormSimulator } from './closedFormSimulator';
export { HybridSimulator } from './hybridSimulator';
export { OdeSimulator, ModelOdeSystem } from './odeSimulator';
export {
  parseModelSpec,
  ModelSpecError,
  modelSpecSchema,
  iivSchema,
  covariateEffectSchema,
  residualErrorSchema,
  solverSpecSchema
} from './spec';
export type { ModelSpec, IivSpec, CovariateEffect, ResidualErrorSpec } from './spec';
export { IndividualParameterModel } from './individualParameters';
export { ResidualErrorModel } from './residualError';
export { choleskyFactor } from './cholesky';
export { EventTimeSimulator } from './timeToEvent';
export type { HazardSpec, BaselineHazard, EventTimes } from './timeToEvent';
export { thresholdOutcome, poissonCounts, poissonDraw } from './discreteOutcomes';
