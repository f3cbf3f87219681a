/**
 * An ODE system that receives doses: a bolus jumps its target state in the solver's
 * state vector `y`, an infusion adds a constant input rate to the right-hand side
 * (`inputRate`, read by the subclass's rhs while `hasInput`). The base of the full-ODE
 * simulator's system and of the time-to-event simulator's hazard-augmented system, so
 * both apply a DoseTimeline the same way.
 */
import type { DoseEventTarget } from '../pk/doseTimeline';
import type { OdeSystem } from '../ode/odeSystem';

export abstract class DosedOdeSystem implements OdeSystem, DoseEventTarget {
  /** The solver's state vector (the model's states first). */
  readonly y: Float64Array;
  /** Constant input rate into each of the model's states (infusions running). */
  readonly inputRate: Float64Array;
  /** Whether an infusion has started for this twin (rhs adds inputRate only then). */
  hasInput = false;

  constructor(
    readonly dimension: number,
    nStates: number
  ) {
    this.y = new Float64Array(dimension);
    this.inputRate = new Float64Array(nStates);
  }

  abstract rhs(t: number, y: Float64Array, dy: Float64Array): void;

  /** No infusion running: call before each twin. */
  resetInput(): void {
    this.inputRate.fill(0);
    this.hasInput = false;
  }

  addBolus(state: number, amount: number): void {
    this.y[state] += amount;
  }

  addRate(state: number, delta: number): void {
    this.inputRate[state] += delta;
    this.hasInput = true;
  }
}
