/**
 * Hybrid PK/PD simulation: the linear PK is evaluated in closed form inside the PD
 * right-hand side and only the PD states are integrated. Between two dose events the
 * central amount is c0 + Σ_k a_k·e^{μ_k (t − t_event)} (ModalPkState.expansion), so the
 * PD rhs costs one exp per PK mode. Integration restarts exactly at every dose event.
 * This is exact for the PK and as accurate as the solver tolerance for the PD.
 */
import type { OdeSolver, OdeSystem, OutputSink } from '../ode/odeSystem';
import { StepLimitError } from '../ode/stepLimitError';
import { createSolver } from './createSolver';
import type { ResolvedRegimen } from './dosing';
import { LinearPkTwin } from './linearPkTwin';
import type { PdDeclaration, PkPdModel } from './modelDefinition';
import type { SimulationOptions, TwinSimulator } from './twinSimulator';

/** The PD states as an ODE system driven by the closed-form concentration. */
class DrivenPdSystem implements OdeSystem, OutputSink {
  readonly dimension: number;
  readonly coef: Float64Array;
  readonly mu: Float64Array;
  constant = 0;
  anchor = 0;
  inverseVolume = 1;
  lastTime = Number.NaN;
  lastConcentration = 0;
  out: Float64Array = new Float64Array(0);
  base = 0;
  nTimes = 0;
  private readonly pdOut: Float64Array;

  constructor(
    private readonly pd: PdDeclaration,
    readonly q: Float64Array,
    mu: Float64Array
  ) {
    this.dimension = pd.states.length;
    this.mu = mu;
    this.coef = new Float64Array(mu.length);
    this.pdOut = new Float64Array(pd.outputs.length);
  }

  /** Concentration at t; the last value is cached (DP5 evaluates stages 6 and 7 at one time). */
  concentration(t: number): number {
    if (t === this.lastTime) return this.lastConcentration;
    const s = t - this.anchor;
    const { coef, mu } = this;
    let a = this.constant;
    for (let k = 0; k < coef.length; k++) a += coef[k] * Math.exp(mu[k] * s);
    this.lastTime = t;
    return (this.lastConcentration = a * this.inverseVolume);
  }

  rhs(t: number, y: Float64Array, dy: Float64Array): void {
    this.pd.rhs(t, y, this.q, dy, this.concentration(t));
  }

  record(k: number, t: number, y: Float64Array): void {
    const conc = this.concentration(t);
    const { out, base, nTimes, pdOut } = this;
    out[base + k] = conc;
    this.pd.output(t, y, this.q, conc, pdOut);
    for (let o = 0; o < pdOut.length; o++) out[base + (o + 1) * nTimes + k] = pdOut[o];
  }
}

export class HybridSimulator implements TwinSimulator {
  private readonly pk: LinearPkTwin;
  private readonly p: Float64Array;
  private readonly system: DrivenPdSystem;
  private readonly solver: OdeSolver;
  private readonly y: Float64Array;
  private readonly nPk: number;

  constructor(
    private readonly model: PkPdModel,
    options: SimulationOptions = {}
  ) {
    if (!model.pd || model.pd.states.length === 0) {
      throw new Error(`model ${model.name} has no PD states: use the closed-form path`);
    }
    this.pk = new LinearPkTwin(model);
    this.p = new Float64Array(model.parameters.length);
    this.nPk = model.pk.parameters.length;
    const q = new Float64Array(model.parameters.length - this.nPk);
    this.system = new DrivenPdSystem(model.pd, q, this.pk.modes.mu);
    this.y = new Float64Array(model.pd.states.length);
    this.solver = createSolver(this.y.length, false, model.tolerance, options);
  }

  simulateTwin(
    params: Float64Array,
    row: number,
    regimen: ResolvedRegimen,
    times: Float64Array,
    out: Float64Array,
    twinId: number
  ): void {
    const { p, pk, system, solver, y } = this;
    const nP = p.length;
    for (let i = 0; i < nP; i++) p[i] = params[row * nP + i];
    const q = system.q;
    for (let i = 0; i < q.length; i++) q[i] = p[this.nPk + i];
    pk.prepare(p, regimen);
    this.model.pd!.initial(q, y);
    const nT = times.length;
    system.out = out;
    system.nTimes = nT;
    system.base = row * this.model.outputs.length * nT;
    system.inverseVolume = pk.inverseVolume;
    system.lastTime = Number.NaN;
    solver.context = `twin ${twinId} (model ${this.model.name})`;
    solver.resetStepSize();
    if (nT === 0) return;
    const tEnd = times[nT - 1];
    let t = 0;
    let k = 0;
    this.anchorAt(t);
    for (; k < nT && times[k] <= t; k++) system.record(k, times[k], y);
    try {
      while (t < tEnd) {
        pk.applyEventsThrough(t);
        this.anchorAt(t);
        const tNext = Math.min(pk.nextEventTime(), tEnd);
        k = solver.integrate(system, t, tNext, y, times, k, system);
        t = tNext;
      }
    } catch (e) {
      if (e instanceof StepLimitError) throw e;
      throw new Error(`twin ${twinId} (model ${this.model.name}) at t=${t}: ${(e as Error).message}`, {
        cause: e
      });
    }
  }

  private anchorAt(t: number): void {
    this.pk.state.advanceTo(t);
    this.system.constant = this.pk.state.expansion(this.pk.central, this.system.coef);
    this.system.anchor = t;
    this.system.lastTime = Number.NaN;
  }
}
