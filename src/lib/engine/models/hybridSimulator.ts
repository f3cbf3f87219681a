/**
 * Hybrid PK/PD simulation: the linear PK is evaluated in closed form inside the PD
 * right-hand side and only the PD states are integrated. Between two dose events the
 * central amount is c0 + Σ_k a_k·e^{μ_k (t − t_event)} (ModalPkState.expansion), so the
 * PD rhs costs one exp per PK mode. Integration restarts exactly at every dose event.
 * This is exact for the PK and as accurate as the solver tolerance for the PD.
 *
 * A PD block with one state (indirect response, turnover, disease models) takes a
 * specialised path: a scalar Dormand–Prince integrator with the PD value in registers,
 * and the PK terms evaluated for all stages of a step at once from one exp per mode
 * (the stage offsets h/5, 3h/10, 4h/5, 8h/9, h are multiples of h/90: powers of e^{μh/90}),
 * each term carried from step to step by its end-of-step factor. Output concentrations
 * are carried between output times by e^{μΔ}, recomputed only when the spacing Δ changes.
 *
 * A PD block with more states and its own Dormand–Prince step (a compiled model text's)
 * gets the stage concentrations the same way, from terms computed at each step's start.
 * One that is affine in its states (`PdDeclaration.affine`: turnover chains, transit
 * compartments) is instead solved exactly in the states between doses, with a quadrature
 * of the drug's forcing (`DrivenLinearIntegrator`), unless the caller chose a solver; an
 * interval the quadrature cannot reach the tolerance on goes to Dormand–Prince.
 *
 * Every segment's start is kept (`SegmentCheckpoints`), so that a twin whose doses change
 * from some time on (treatment discontinuation) is simulated again from there.
 */
import type { DormandPrinceStep, OdeSolver, OdeSystem, OutputSink } from '../ode/odeSystem';
import { ScalarDormandPrince45, STAGES, type StagedScalarSystem } from '../ode/scalarDormandPrince45';
import { StepLimitError } from '../ode/stepLimitError';
import { createSolver } from './createSolver';
import { DrivenLinearIntegrator } from './drivenLinearIntegrator';
import { SegmentCheckpoints } from './segment-checkpoints';
import type { ResolvedRegimen } from './dosing';
import { LinearPkTwin } from './linearPkTwin';
import type { PdDeclaration, PkPdModel } from './modelDefinition';
import type { SimulationOptions, TwinSimulator } from './twinSimulator';

const { STAGE_START, STAGE_2, STAGE_3, STAGE_4, STAGE_5, STAGE_END } = STAGES;

/**
 * The concentration at the inner and end stages of a Dormand–Prince step of size h
 * (conc[STAGE_2..STAGE_END]) from the PK terms coef_k·e^{μ_k (t − anchor)} at its start,
 * with one exp per mode: g = e^{μh/90}, and the stage offsets h/5, 3h/10, 4h/5, 8h/9, h
 * are g^18, g^27, g^72, g^80, g^90. Writes each mode's end-of-step factor g^90 into
 * `endFactor`, which carries the terms to the next step once this one is accepted.
 */
function stageConcentrations(
  mu: Float64Array,
  term: Float64Array,
  h: number,
  constant: number,
  inverseVolume: number,
  conc: Float64Array,
  endFactor: Float64Array
): void {
  let s2 = constant;
  let s3 = s2;
  let s4 = s2;
  let s5 = s2;
  let s7 = s2;
  for (let k = 0; k < term.length; k++) {
    const g = Math.exp((mu[k] * h) / 90);
    const g2 = g * g;
    const g4 = g2 * g2;
    const g8 = g4 * g4;
    const g9 = g8 * g;
    const g18 = g9 * g9;
    const g27 = g18 * g9;
    const g36 = g18 * g18;
    const g72 = g36 * g36;
    const g90 = g72 * g18;
    const tk = term[k];
    s2 += tk * g18;
    s3 += tk * g27;
    s4 += tk * g72;
    s5 += tk * g72 * g8;
    s7 += tk * g90;
    endFactor[k] = g90;
  }
  conc[STAGE_2] = s2 * inverseVolume;
  conc[STAGE_3] = s3 * inverseVolume;
  conc[STAGE_4] = s4 * inverseVolume;
  conc[STAGE_5] = s5 * inverseVolume;
  conc[STAGE_END] = s7 * inverseVolume;
}

/** Steps over which a multi-state PD block carries its PK terms before computing them afresh. */
const CARRIED_STEPS = 16;

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
  /** The block's own Dormand–Prince step, when it has one (a compiled model text's). */
  readonly step?: DormandPrinceStep;
  // For that step: the PK terms coef_k·e^{μ_k (t − anchor)} at time termTime (carried
  // that many steps), the end of the last step and its end factors, and the concentration
  // at its stages.
  private readonly term: Float64Array;
  private readonly endFactor: Float64Array;
  private readonly stageConc = new Float64Array(6);
  private termTime = Number.NaN;
  private carried = 0;
  private stepEnd = Number.NaN;

  constructor(
    private readonly pd: PdDeclaration,
    readonly q: Float64Array,
    mu: Float64Array
  ) {
    this.dimension = pd.states.length;
    this.mu = mu;
    this.coef = new Float64Array(mu.length);
    this.term = new Float64Array(mu.length);
    this.endFactor = new Float64Array(mu.length);
    this.pdOut = new Float64Array(pd.outputs.length);
    const pdStep = pd.step;
    if (pdStep) {
      this.step = (t, h, tNew, y, work, rtol, atol) => {
        this.beginStep(t, h, tNew);
        return pdStep(t, h, tNew, y, q, this.stageConc, work, rtol, atol);
      };
    }
  }

  /** The PK expansion was re-anchored (after a dose event): cached values are stale. */
  anchored(): void {
    this.lastTime = Number.NaN;
    this.termTime = Number.NaN;
    this.stepEnd = Number.NaN;
  }

  /**
   * The stage concentrations of a step from t of size h. A step that starts where the last
   * one ended follows an accepted step: its terms are the last ones times their end factors,
   * except every CARRIED_STEPS-th step, whose terms are computed afresh (each carry rounds
   * once, which thousands of steps in one dosing interval at tight tolerances would show); a
   * step retried from the same t after a rejection reuses them.
   */
  private beginStep(t: number, h: number, tNew: number): void {
    const { term, coef, mu } = this;
    if (t !== this.termTime) {
      if (t === this.stepEnd && ++this.carried < CARRIED_STEPS) {
        for (let k = 0; k < term.length; k++) term[k] *= this.endFactor[k];
      } else {
        const s = t - this.anchor;
        for (let k = 0; k < term.length; k++) term[k] = coef[k] * Math.exp(mu[k] * s);
        this.carried = 0;
      }
      this.termTime = t;
    }
    stageConcentrations(mu, term, h, this.constant, this.inverseVolume, this.stageConc, this.endFactor);
    this.stepEnd = tNew;
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

/** A one-state PD block driven by the closed-form concentration, stage by stage. */
class ScalarDrivenPd implements StagedScalarSystem {
  readonly coef: Float64Array;
  readonly mu: Float64Array;
  constant = 0;
  anchor = 0;
  inverseVolume = 1;
  out: Float64Array = new Float64Array(0);
  base = 0;
  nTimes = 0;
  /** coef_k·e^{μ_k (t − anchor)} at the start t of the current step. */
  private readonly term: Float64Array;
  /** e^{μ_k h} of the announced step. */
  private readonly endFactor: Float64Array;
  /** Concentration at the stages of the announced step (index STAGE_START..STAGE_END). */
  private readonly stageConc = new Float64Array(6);
  // Output concentrations: terms at the last output time, and e^{μ_k Δ} for spacing Δ.
  private readonly outTerm: Float64Array;
  private readonly outFactor: Float64Array;
  private outTime = 0;
  private outDelta = Number.NaN;
  private readonly y1 = new Float64Array(1);
  private readonly dy1 = new Float64Array(1);
  private readonly pdOut: Float64Array;

  constructor(
    private readonly pd: PdDeclaration,
    readonly q: Float64Array,
    mu: Float64Array
  ) {
    const n = mu.length;
    this.mu = mu;
    this.coef = new Float64Array(n);
    this.term = new Float64Array(n);
    this.endFactor = new Float64Array(n);
    this.outTerm = new Float64Array(n);
    this.outFactor = new Float64Array(n);
    this.pdOut = new Float64Array(pd.outputs.length);
  }

  /** A new twin: its modes changed, so cached output factors are stale. */
  newTwin(): void {
    this.outDelta = Number.NaN;
  }

  /** The PK expansion was re-anchored at `anchor` (after a dose event). */
  anchored(): void {
    this.outTime = this.anchor;
    this.outTerm.set(this.coef);
  }

  beginIntegration(t: number): void {
    const { coef, mu, term } = this;
    const s = t - this.anchor;
    let a = this.constant;
    for (let k = 0; k < coef.length; k++) {
      const v = s === 0 ? coef[k] : coef[k] * Math.exp(mu[k] * s);
      term[k] = v;
      a += v;
    }
    this.stageConc[STAGE_START] = a * this.inverseVolume;
  }

  beginStep(h: number): void {
    stageConcentrations(
      this.mu,
      this.term,
      h,
      this.constant,
      this.inverseVolume,
      this.stageConc,
      this.endFactor
    );
  }

  acceptStep(): void {
    const { term, endFactor } = this;
    for (let k = 0; k < term.length; k++) term[k] *= endFactor[k];
    this.stageConc[STAGE_START] = this.stageConc[STAGE_END];
  }

  f(stage: number, t: number, y: number): number {
    const { y1, dy1 } = this;
    y1[0] = y;
    this.pd.rhs(t, y1, this.q, dy1, this.stageConc[stage]);
    return dy1[0];
  }

  /** Concentration at output time t ≥ the last output time since the anchor. */
  outputConcentration(t: number): number {
    const { mu, outTerm, outFactor } = this;
    const d = t - this.outTime;
    let a = this.constant;
    if (d === 0) {
      for (let k = 0; k < outTerm.length; k++) a += outTerm[k];
    } else {
      if (d !== this.outDelta) {
        for (let k = 0; k < outTerm.length; k++) outFactor[k] = Math.exp(mu[k] * d);
        this.outDelta = d;
      }
      for (let k = 0; k < outTerm.length; k++) {
        outTerm[k] *= outFactor[k];
        a += outTerm[k];
      }
      this.outTime = t;
    }
    return a * this.inverseVolume;
  }

  record(k: number, t: number, y: number): void {
    const conc = this.outputConcentration(t);
    const { out, base, nTimes, pdOut, y1 } = this;
    out[base + k] = conc;
    y1[0] = y;
    this.pd.output(t, y1, this.q, conc, pdOut);
    for (let o = 0; o < pdOut.length; o++) out[base + (o + 1) * nTimes + k] = pdOut[o];
  }
}

export class HybridSimulator implements TwinSimulator {
  private readonly pk: LinearPkTwin;
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  private readonly nPk: number;
  // General path (any number of PD states, explicit or stiff solver).
  private readonly system: DrivenPdSystem | null = null;
  private readonly solver: OdeSolver | null = null;
  /** For a PD block affine in its states: exact in the states between doses (else null). */
  private readonly linear: DrivenLinearIntegrator | null = null;
  private readonly y: Float64Array;
  // One-state path.
  private readonly scalarSystem: ScalarDrivenPd | null = null;
  private readonly scalarSolver: ScalarDormandPrince45 | null = null;
  /** The segment starts of the last twin simulated, and its id. */
  private readonly checkpoints: SegmentCheckpoints;
  private twinId = Number.NaN;

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
    this.q = new Float64Array(model.parameters.length - this.nPk);
    this.y = new Float64Array(model.pd.states.length);
    if (this.y.length === 1 && options.solver !== 'stiff') {
      this.scalarSystem = new ScalarDrivenPd(model.pd, this.q, this.pk.modes.mu);
      this.scalarSolver = new ScalarDormandPrince45({
        rtol: options.rtol ?? model.tolerance.rtol,
        atol: options.atol ?? model.tolerance.atol,
        maxSteps: options.maxSteps ?? 100_000,
        maxStepSize: options.maxStepSize ?? Infinity
      });
    } else {
      this.system = new DrivenPdSystem(model.pd, this.q, this.pk.modes.mu);
      this.solver = createSolver(this.y.length, false, model.tolerance, options);
      if (model.pd.affine && (options.solver ?? 'auto') === 'auto') {
        this.linear = new DrivenLinearIntegrator(
          model.pd,
          this.pk.modes.mu.length,
          options.rtol ?? model.tolerance.rtol,
          options.atol ?? model.tolerance.atol
        );
      }
    }
    this.checkpoints = new SegmentCheckpoints(this.y.length, (this.scalarSolver ?? this.solver!).carriedSize);
  }

  /**
   * Simulates one twin. With `from` > 0 the caller says that this is the twin of the last
   * call (checked: same parameters and id) and that the regimen is unchanged before
   * `from`: the integration then resumes at the last segment that starts before `from`.
   */
  simulateTwin(
    params: Float64Array,
    row: number,
    regimen: ResolvedRegimen,
    times: Float64Array,
    out: Float64Array,
    twinId: number,
    from = 0
  ): void {
    const { p, q, pk, y, checkpoints } = this;
    const nP = p.length;
    let same = from > 0 && twinId === this.twinId && checkpoints.count > 0;
    for (let i = 0; same && i < nP; i++) same = p[i] === params[row * nP + i];
    for (let i = 0; i < nP; i++) p[i] = params[row * nP + i];
    for (let i = 0; i < q.length; i++) q[i] = p[this.nPk + i];
    this.twinId = twinId;
    pk.prepare(p, regimen);
    const nT = times.length;
    const base = row * this.model.outputs.length * nT;
    const context = `twin ${twinId} (model ${this.model.name})`;
    if (nT === 0) return;
    const tEnd = times[nT - 1];
    const solver = this.scalarSolver ?? this.solver!;
    solver.context = context;
    let t = 0;
    let k = 0;
    if (same) {
      // The PK state at the checkpoint from the new regimen's events, which are the old
      // ones before `from`, applied in the same order as when the twin was simulated.
      const c = checkpoints.lastBefore(from);
      for (let i = 0; i < c; i++) {
        const ti = checkpoints.time(i);
        pk.applyEventsThrough(ti);
        pk.state.advanceTo(ti);
      }
      t = checkpoints.time(c);
      k = checkpoints.outputIndex(c);
      checkpoints.restore(c, y, solver);
      checkpoints.count = c;
    } else {
      this.model.pd!.initial(q, y);
      solver.resetStepSize();
      checkpoints.clear();
    }
    try {
      if (this.scalarSolver) {
        const system = this.scalarSystem!;
        const scalar = this.scalarSolver;
        system.out = out;
        system.nTimes = nT;
        system.base = base;
        system.inverseVolume = pk.inverseVolume;
        system.newTwin();
        this.anchorScalarAt(t);
        for (; k < nT && times[k] <= t; k++) system.record(k, times[k], y[0]);
        while (t < tEnd) {
          checkpoints.push(t, k, y, scalar);
          pk.applyEventsThrough(t);
          this.anchorScalarAt(t);
          const tNext = Math.min(pk.nextEventTime(), tEnd);
          k = scalar.integrate(system, t, tNext, y[0], times, k);
          y[0] = scalar.y;
          t = tNext;
        }
      } else {
        const system = this.system!;
        const general = this.solver!;
        const linear = this.linear?.prepare(q, pk.modes.mu) ? this.linear : null;
        if (linear) linear.context = context;
        system.out = out;
        system.nTimes = nT;
        system.base = base;
        system.inverseVolume = pk.inverseVolume;
        this.anchorAt(t);
        for (; k < nT && times[k] <= t; k++) system.record(k, times[k], y);
        while (t < tEnd) {
          checkpoints.push(t, k, y, general);
          pk.applyEventsThrough(t);
          this.anchorAt(t);
          const tNext = Math.min(pk.nextEventTime(), tEnd);
          if (linear) {
            k = linear.integrate(system, t, tNext, y, times, k, system);
            const rest = linear.gaveUpAt;
            if (rest === rest) k = general.integrate(system, rest, tNext, y, times, k, system);
          } else {
            k = general.integrate(system, t, tNext, y, times, k, system);
          }
          t = tNext;
        }
      }
    } catch (e) {
      if (e instanceof StepLimitError) throw e;
      throw new Error(`${context} at t=${t}: ${(e as Error).message}`, { cause: e });
    }
  }

  private anchorAt(t: number): void {
    const system = this.system!;
    this.pk.state.advanceTo(t);
    system.constant = this.pk.state.expansion(this.pk.central, system.coef);
    system.anchor = t;
    system.anchored();
  }

  private anchorScalarAt(t: number): void {
    const system = this.scalarSystem!;
    this.pk.state.advanceTo(t);
    system.constant = this.pk.state.expansion(this.pk.central, system.coef);
    system.anchor = t;
    system.anchored();
  }
}
