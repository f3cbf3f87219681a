/**
 * Time-to-event simulation by inverting the cumulative hazard along the model solution.
 *
 *   h(t) = h0(t) · exp(lp + β·output(t))
 *   h0: exponential λ;  Weibull λk(λt)^{k−1} (H0 = (λt)^k);  Gompertz λe^{γt};
 *       or a hazard the model itself declares, an output evaluated along the solution
 * lp is the twin's covariate linear predictor (Σ βᵢxᵢ, computed by the caller), output(t)
 * an optional model output (e.g. concentration, tumour size). The cumulative hazard H is
 * appended to the model's ODE as an extra state; the event happens where H first reaches
 * E = −log U (U uniform from the twin's event stream), located on the solver's dense
 * output. Repeated events: the next one where H reaches E + E', and so on.
 * Reference: R. Bender, T. Augustin, M. Blettner, "Generating survival times to simulate
 * Cox proportional hazards models", Stat Med 24 (2005) 1713–1723 (inversion method).
 */
import { purposeHash, RandomStream } from '../rng/stream';
import { DoseTimeline } from '../pk/doseTimeline';
import { LevelCrossing, type OutputSink, type OdeSolver } from '../ode/odeSystem';
import { toOdeModel } from './composePkPd';
import { createSolver } from './createSolver';
import { DosedOdeSystem } from './dosedOdeSystem';
import { DoseTargetFactors, resolveRegimen, type Dose } from './dosing';
import type { ModelDefinition, OdeModel } from './modelDefinition';
import type { SimulationOptions } from './twinSimulator';

export type BaselineHazard =
  | { type: 'exponential'; lambda: number }
  | { type: 'weibull'; lambda: number; shape: number }
  | { type: 'gompertz'; lambda: number; gamma: number }
  /** A hazard the model declares (a model text's `hazards` block): h0(t) is that output's value. */
  | { type: 'model'; output: string };

export interface HazardSpec {
  /** Label of the event (keys its random stream), e.g. 'death', 'relapse'. */
  name: string;
  baseline: BaselineHazard;
  /** Proportional effect of a model output: hazard × exp(beta · output(t)). */
  outputEffect?: { output: string; beta: number };
  /** End of follow-up (h): no event after it (censored). */
  horizon: number;
  /** Largest number of events per twin (1 = single event, the default). */
  maxEvents?: number;
}

export interface EventTimes {
  /** nTwins × maxEvents event times, NaN where no further event happened before the horizon. */
  times: Float64Array;
  /** Number of events per twin. */
  counts: Int32Array;
}

const NO_TIMES = new Float64Array(0);
const IGNORE: OutputSink = { record() {} };

/** The model's ODE plus the cumulative hazard as last state. */
class HazardAugmentedSystem extends DosedOdeSystem {
  readonly p: Float64Array;
  linearPredictor = 0;
  private readonly n: number;
  private readonly dyModel: Float64Array;
  private readonly yModel: Float64Array;
  private readonly outputs: Float64Array;

  constructor(
    private readonly model: OdeModel,
    private readonly baseline: BaselineHazard,
    private readonly outputIndex: number,
    private readonly beta: number,
    /** The model output that is the baseline hazard (-1: a parametric baseline). */
    private readonly hazardIndex: number
  ) {
    super(model.states.length + 1, model.states.length);
    this.n = model.states.length;
    this.p = new Float64Array(model.parameters.length);
    this.dyModel = new Float64Array(this.n);
    this.yModel = new Float64Array(this.n);
    this.outputs = new Float64Array(model.outputs.length);
  }

  baselineHazard(t: number): number {
    const b = this.baseline;
    if (b.type === 'model') return this.outputs[this.hazardIndex];
    if (b.type === 'exponential') return b.lambda;
    if (b.type === 'weibull')
      return t <= 0 && b.shape < 1 ? Infinity : b.lambda * b.shape * Math.pow(b.lambda * t, b.shape - 1);
    return b.lambda * Math.exp(b.gamma * t);
  }

  rhs(t: number, y: Float64Array, dy: Float64Array): void {
    const n = this.n;
    const { yModel, dyModel } = this;
    for (let i = 0; i < n; i++) yModel[i] = y[i];
    if (n > 0) this.model.rhs(t, yModel, this.p, dyModel);
    for (let i = 0; i < n; i++) dy[i] = dyModel[i] + (this.hasInput ? this.inputRate[i] : 0);
    let logRisk = this.linearPredictor;
    if (this.outputIndex >= 0 || this.hazardIndex >= 0) this.model.output(t, yModel, this.p, this.outputs);
    if (this.outputIndex >= 0) logRisk += this.beta * this.outputs[this.outputIndex];
    dy[n] = this.baselineHazard(t) * Math.exp(logRisk);
  }
}

export class EventTimeSimulator {
  readonly model: OdeModel;
  private readonly system: HazardAugmentedSystem;
  private readonly solver: OdeSolver;
  private readonly factors: DoseTargetFactors;
  private readonly timeline = new DoseTimeline(64);
  private readonly stream = new RandomStream();
  private readonly purpose: number;
  private readonly maxEvents: number;

  constructor(
    model: ModelDefinition,
    readonly hazard: HazardSpec,
    options: SimulationOptions = {}
  ) {
    this.model = model.kind === 'ode' ? model : toOdeModel(model);
    const b = hazard.baseline;
    if (b.type !== 'model' && !(b.lambda > 0))
      throw new RangeError(`hazard ${hazard.name}: baseline.lambda must be > 0, got ${b.lambda}`);
    if (b.type === 'weibull' && !(b.shape > 0))
      throw new RangeError(`hazard ${hazard.name}: shape must be > 0`);
    const outputNamed = (name: string, field: string) => {
      const i = this.model.outputs.findIndex((o) => o.name === name);
      if (i < 0)
        throw new Error(`hazard ${hazard.name}.${field}: model ${model.name} has no output '${name}'`);
      return i;
    };
    const outputIndex = hazard.outputEffect
      ? outputNamed(hazard.outputEffect.output, 'outputEffect.output')
      : -1;
    const hazardIndex = b.type === 'model' ? outputNamed(b.output, 'baseline.output') : -1;
    this.system = new HazardAugmentedSystem(
      this.model,
      b,
      outputIndex,
      hazard.outputEffect?.beta ?? 0,
      hazardIndex
    );
    this.solver = createSolver(this.system.dimension, this.model.stiff, this.model.tolerance, options);
    this.factors = new DoseTargetFactors(this.model);
    this.purpose = purposeHash(`event:${hazard.name}`);
    this.maxEvents = hazard.maxEvents ?? 1;
  }

  /**
   * Event times for a chunk of twins. `params` is nTwins × nParams (as simulateChunk),
   * `linearPredictors` optional per-twin log hazard ratios from covariates.
   */
  simulateChunk(
    params: Float64Array,
    doses: readonly Dose[],
    seed: number,
    twinIds: ArrayLike<number>,
    linearPredictors?: Float64Array,
    replicate = 0
  ): EventTimes {
    const nTwins = twinIds.length;
    const times = new Float64Array(nTwins * this.maxEvents).fill(Number.NaN);
    const counts = new Int32Array(nTwins);
    const regimen = resolveRegimen(this.model, doses);
    const { system, solver, timeline, stream } = this;
    const y = system.y;
    const nP = system.p.length;
    const n = this.model.states.length;
    const horizon = this.hazard.horizon;
    const crossing = new LevelCrossing(n, 0);
    for (let r = 0; r < nTwins; r++) {
      for (let i = 0; i < nP; i++) system.p[i] = params[r * nP + i];
      system.linearPredictor = linearPredictors ? linearPredictors[r] : 0;
      this.factors.update(system.p);
      timeline.fill(regimen.doses, this.factors.bioavailability, this.factors.lag, this.factors.infusion);
      system.resetInput();
      this.model.initial(system.p, y);
      y[n] = 0;
      stream.reset(seed, this.purpose, twinIds[r], replicate);
      crossing.level = -Math.log(stream.uniformOpen());
      solver.context = `twin ${twinIds[r]} (event ${this.hazard.name}, model ${this.model.name})`;
      solver.resetStepSize();
      let t = 0;
      let count = 0;
      while (t < horizon && count < this.maxEvents) {
        timeline.applyThrough(t, system);
        const tNext = Math.min(timeline.nextTime(), horizon);
        solver.integrate(system, t, tNext, y, NO_TIMES, 0, IGNORE, crossing);
        if (crossing.crossed) {
          t = crossing.time;
          times[r * this.maxEvents + count++] = t;
          crossing.level += -Math.log(stream.uniformOpen());
        } else {
          t = tNext;
        }
      }
      counts[r] = count;
    }
    return { times, counts };
  }
}
