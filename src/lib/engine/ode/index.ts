export type {
  OdeSystem,
  OutputSink,
  OdeSolver,
  SolverOptions,
  SolverTolerances,
  DormandPrinceStep,
  DormandPrinceWork
} from './odeSystem';
export { LevelCrossing, defaultSolverOptions } from './odeSystem';
export { DormandPrince45 } from './dormandPrince45';
export { dormandPrinceStepSource } from './dormandPrinceStepSource';
export { Rosenbrock4, luDecompose, luSolve } from './rosenbrock4';
export { StepLimitError } from './stepLimitError';
export { ScalarDormandPrince45, STAGES } from './scalarDormandPrince45';
export type { StagedScalarSystem } from './scalarDormandPrince45';
export { AutoStiffSolver } from './autoStiffSolver';
