/** Picks and configures the ODE solver for a model and the caller's options. */
import { DormandPrince45 } from '../ode/dormandPrince45';
import type { OdeSolver, SolverTolerances } from '../ode/odeSystem';
import { Rosenbrock4 } from '../ode/rosenbrock4';
import type { SimulationOptions } from './twinSimulator';

export function createSolver(
  dimension: number,
  stiff: boolean,
  tolerance: SolverTolerances,
  options: SimulationOptions
): OdeSolver {
  const settings = {
    rtol: options.rtol ?? tolerance.rtol,
    atol: options.atol ?? tolerance.atol,
    maxSteps: options.maxSteps ?? 100_000,
    maxStepSize: options.maxStepSize ?? Infinity
  };
  const useStiff = options.solver === 'stiff' || ((options.solver ?? 'auto') === 'auto' && stiff);
  return useStiff ? new Rosenbrock4(dimension, settings) : new DormandPrince45(dimension, settings);
}
