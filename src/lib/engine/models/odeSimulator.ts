/**
 * Simulation of a generic ODE model: integrate the full state with the adaptive solver,
 * restarting exactly at every dose event (a bolus is a jump of the target state, an
 * infusion a change of the constant input rate added to the rhs). Outputs at requested
 * times come from the solver's dense output (explicit) or exact step ends (stiff).
 */
import { DoseTimeline, type DoseEventTarget } from '../pk/doseTimeline';
import type { DormandPrinceStep, OdeSolver, OdeSystem, OutputSink } from '../ode/odeSystem';
import { StepLimitError } from '../ode/stepLimitError';
import { createSolver } from './createSolver';
import { DoseTargetFactors, type ResolvedRegimen } from './dosing';
import type { OdeModel } from './modelDefinition';
import type { SimulationOptions, TwinSimulator } from './twinSimulator';

/**
 * A model with one twin's parameters and the current infusion rates, as an OdeSystem.
 * It receives doses as `DosedOdeSystem` does (bolus into y, infusion into inputRate) but
 * does not extend it: as a subclass, BM1's full-ODE path ran 16–25 % slower (V8 on Node
 * 20, measured A/B in one session), so the three small dose methods are written out here.
 */
export class ModelOdeSystem implements OdeSystem, OutputSink, DoseEventTarget {
  readonly dimension: number;
  readonly y: Float64Array;
  readonly inputRate: Float64Array;
  hasInput = false;
  readonly p: Float64Array;
  out: Float64Array = new Float64Array(0);
  base = 0;
  nTimes = 0;
  jacobian?: (t: number, y: Float64Array, jac: Float64Array) => void;
  step?: DormandPrinceStep;
  private readonly outputs: Float64Array;

  constructor(readonly model: OdeModel) {
    this.dimension = model.states.length;
    this.y = new Float64Array(this.dimension);
    this.inputRate = new Float64Array(this.dimension);
    this.p = new Float64Array(model.parameters.length);
    this.outputs = new Float64Array(model.outputs.length);
    const jac = model.jacobian;
    if (jac) this.jacobian = (t, y, j) => jac(t, y, this.p, j);
    const step = model.step;
    if (step) {
      this.step = (t, h, tNew, y, work, rtol, atol) =>
        step(t, h, tNew, y, this.p, this.hasInput ? this.inputRate : null, work, rtol, atol);
    }
  }

  rhs(t: number, y: Float64Array, dy: Float64Array): void {
    this.model.rhs(t, y, this.p, dy);
    if (this.hasInput) for (let i = 0; i < dy.length; i++) dy[i] += this.inputRate[i];
  }

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

  record(k: number, t: number, y: Float64Array): void {
    const { out, base, nTimes, outputs } = this;
    this.model.output(t, y, this.p, outputs);
    for (let o = 0; o < outputs.length; o++) out[base + o * nTimes + k] = outputs[o];
  }
}

export class OdeSimulator implements TwinSimulator {
  readonly system: ModelOdeSystem;
  readonly solver: OdeSolver;
  private readonly timeline = new DoseTimeline(64);
  private readonly factors: DoseTargetFactors;

  constructor(
    private readonly model: OdeModel,
    options: SimulationOptions = {}
  ) {
    this.system = new ModelOdeSystem(model);
    this.solver = createSolver(this.system.dimension, model.stiff, model.tolerance, options);
    this.factors = new DoseTargetFactors(model);
  }

  simulateTwin(
    params: Float64Array,
    row: number,
    regimen: ResolvedRegimen,
    times: Float64Array,
    out: Float64Array,
    twinId: number
  ): void {
    if (regimen.steadyState.length > 0) {
      throw new Error(
        `model ${this.model.name}: steady-state dosing needs the closed-form or hybrid PK path`
      );
    }
    const { system, solver, timeline } = this;
    const y = system.y;
    const p = system.p;
    const nP = p.length;
    for (let i = 0; i < nP; i++) p[i] = params[row * nP + i];
    this.factors.update(p);
    timeline.fill(regimen.doses, this.factors.bioavailability, this.factors.lag, this.factors.infusion);
    system.resetInput();
    this.model.initial(p, y);
    const nT = times.length;
    system.out = out;
    system.nTimes = nT;
    system.base = row * this.model.outputs.length * nT;
    solver.context = `twin ${twinId} (model ${this.model.name})`;
    solver.resetStepSize();
    if (nT === 0) return;
    const tEnd = times[nT - 1];
    let t = 0;
    let k = 0;
    for (; k < nT && times[k] <= t; k++) system.record(k, times[k], y);
    try {
      while (t < tEnd) {
        timeline.applyThrough(t, system);
        const tNext = Math.min(timeline.nextTime(), tEnd);
        k = solver.integrate(system, t, tNext, y, times, k, system);
        t = tNext;
      }
    } catch (err) {
      if (err instanceof StepLimitError) throw err;
      throw new Error(`twin ${twinId} (model ${this.model.name}) at t=${t}: ${(err as Error).message}`, {
        cause: err
      });
    }
  }
}
