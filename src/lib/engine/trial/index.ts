export {
  compileProtocol,
  type TrialPlan,
  type ResolvedProtocol,
  type CompiledArm,
  type CompiledEndpoint
} from './compile-protocol';
export { simulateTrialChunk } from './simulate-trial-chunk';
export { type TrialChunk } from './trial-chunk-columns';
export {
  EVENT_KINDS,
  EVENT_DROPOUT,
  EVENT_MISSED_DOSE,
  EVENT_ENDPOINT,
  EVENT_DISCONTINUATION,
  EVENT_RESCUE,
  EVENT_LOST_TO_FOLLOW_UP,
  NO_ENDPOINT,
  type EventKind
} from './event-kinds';
export { EstimandTruthTotals } from './estimand-truth-totals';
export { type CompiledEstimand } from './compile-estimands';
export { type CompiledIntercurrent } from './compile-intercurrent';
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
