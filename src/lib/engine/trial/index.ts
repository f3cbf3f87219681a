export {
  compileProtocol,
  type TrialPlan,
  type ResolvedProtocol,
  type CompiledArm,
  type CompiledEndpoint
} from './compile-protocol';
export { simulateTrialChunk, EVENT_KINDS, type TrialChunk } from './simulate-trial-chunk';
export { TwinSimulationError } from './twin-simulation-error';
export {
  allocateRange,
  allocateStratified,
  allocateMinimisation,
  allocatesSequentially,
  type AllocationPlan
} from './allocate';
export { replicateSeed } from './replicate-seed';
export { aucLinearUpLogDown, cmax, ctrough } from './nca';
export { regimenDoses } from './regimen-doses';
export { sequentialArms, AllocationFactors } from './sequential-arms';
export { predictionTwin, predictionDoses, predictTwin, type PredictionTwin } from './predict-twin';
