/**
 * What every simulation path (closed form, hybrid, full ODE) offers the chunk loop:
 * simulate one twin from its parameter row, writing outputs into the chunk's output
 * array at out[(row·nOutputs + o)·nTimes + k]. Observations at a dose time are pre-dose.
 */
import type { ResolvedRegimen } from './dosing';

export interface TwinSimulator {
  simulateTwin(
    params: Float64Array,
    row: number,
    regimen: ResolvedRegimen,
    times: Float64Array,
    out: Float64Array,
    twinId: number,
    /**
     * A change from this time on: the twin is the one of the last call and its regimen is
     * the same before `from` (the earlier outputs in `out` are that call's), so a
     * simulator may resume there rather than at t = 0, with the same result. 0: none.
     */
    from?: number
  ): void;
}

export interface SimulationOptions {
  /**
   * 'auto' (default): closed form for PK with stateless PD, hybrid for other PK/PD,
   * ODE for generic models. 'ode' forces the full ODE system.
   */
  mode?: 'auto' | 'closedForm' | 'hybrid' | 'ode';
  /**
   * 'auto' (default): Rosenbrock for models declared stiff, otherwise Dormand–Prince with
   * stiffness detection (switching to Rosenbrock for the rest of a twin when it fires;
   * the one-state hybrid path has no detection). 'explicit' and 'stiff' force a solver.
   */
  solver?: 'auto' | 'explicit' | 'stiff';
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  maxStepSize?: number;
  /** Twin id of row 0 (ids of later rows follow on); used in error messages. Default 1. */
  firstTwinId?: number;
}
