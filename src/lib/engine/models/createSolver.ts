/**
 * Picks and configures the ODE solver for a model and the caller's options: 'stiff' (or
 * 'auto' for a model declared stiff) Rosenbrock 4(3); 'explicit' Dormand–Prince 5(4);
 * 'auto' otherwise Dormand–Prince with stiffness detection, switching to Rosenbrock for
 * the rest of a twin when the test fires.
 */
import { AutoStiffSolver } from '../ode/autoStiffSolver';
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
  const choice = options.solver ?? 'auto';
  if (choice === 'stiff' || (choice === 'auto' && stiff)) return new Rosenbrock4(dimension, settings);
  if (choice === 'explicit') return new DormandPrince45(dimension, settings);
  return new AutoStiffSolver(dimension, settings);
}
