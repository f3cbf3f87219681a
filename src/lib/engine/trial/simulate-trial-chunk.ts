import { generateCohortChunk, type CohortChunk } from '../cohort';
import { IndividualParameterModel, resolveRegimen, type Dose, type ResolvedRegimen } from '../models';
import type { ParameterSource } from '../models/parameter-source';
import { purposeHash, RandomStream } from '../rng';
import { allocateRange } from './allocate';
import type { TrialPlan } from './compile-protocol';
import { GrowableColumn } from './growable';
import { failIfNotFinite, whyNotFinite } from './non-finite-twin';
import { TwinSimulationError } from './twin-simulation-error';
import { aucLinearUpLogDown, cmax, ctrough } from './nca';
import { regimenDoses } from './regimen-doses';
import { replicateSeed } from './replicate-seed';

/** Event kinds in the event table. */
export const EVENT_KINDS = ['dropout', 'missed_dose', 'endpoint_event'] as const;

/**
 * One chunk of one replicate of a trial, as typed-array columns (transferable, no
 * per-row objects). Row layouts follow the storage schema, with arms, outputs,
 * endpoints and event kinds as indices that the store maps to names.
 */
export interface TrialChunk {
  replicate: number;
  firstId: number;
  count: number;
  assignment: { twin: Int32Array; arm: Int16Array; stratum: Int32Array };
  observation: {
    twin: Int32Array;
    arm: Int16Array;
    variable: Int16Array;
    time: Float64Array;
    value: Float64Array;
  };
  /**
   * Dense profiles (protocols with `schedule.dense`), one row per twin, period and
   * output: the values on the fixed grid `plan.times` from time `t0` (the period's
   * start), as `length` consecutive values of `value`; follow-up can end before the grid does.
   */
  profile: {
    twin: Int32Array;
    arm: Int16Array;
    variable: Int16Array;
    t0: Float64Array;
    length: Int32Array;
    value: Float64Array;
  };
  event: { twin: Int32Array; arm: Int16Array; kind: Int16Array; endpoint: Int16Array; time: Float64Array };
  endpoint: {
    twin: Int32Array;
    arm: Int16Array;
    endpoint: Int16Array;
    value: Float64Array;
    censored: Int8Array;
  };
}

const VISIT = purposeHash('visit');
const ADHERENCE = purposeHash('adherence');
const DROPOUT = purposeHash('dropout');

type Endpoint = TrialPlan['endpoints'][number];

/**
 * Simulates twins [firstId, firstId+count) of replicate `replicate`: generates their
 * covariates (the cohort plan, keyed by the replicate's seed), allocates arms (unless
 * `arms` is given: sequential allocation computed over all twins), draws individual
 * parameters, and simulates each twin under its arm — or under every arm in a
 * counterfactual design, with the same random draws in each arm, so per-twin effects
 * are exact. Every draw is keyed by (replicate seed, purpose, twin id).
 */
export function simulateTrialChunk(
  plan: TrialPlan,
  replicate: number,
  firstId: number,
  count: number,
  arms?: Int16Array,
  strata?: Int32Array
): TrialChunk {
  const chunk = new ChunkSimulation(plan, replicate, firstId, count, arms);
  for (let j = 0; j < count; j++) chunk.simulateTwin(j);
  return chunk.finish(strata);
}

/**
 * One chunk's simulation: what its twins share (parameters, buffers, result columns)
 * and the twin being simulated. The per-twin steps are methods, not closures made
 * inside the twin loop, so a twin allocates only its results.
 */
class ChunkSimulation {
  private readonly seed: number;
  private readonly twins: CohortChunk;
  private readonly assigned: ArrayLike<number>;
  private readonly ids: Int32Array;
  private readonly params: Float64Array;
  private readonly nP: number;
  private readonly second: { params: Float64Array; pred: Float64Array } | undefined;
  private readonly nOut: number;
  private readonly nT: number;
  /** A crossover twin is simulated once over both periods: the second period repeats
   * the schedule after the first period and the washout. */
  private readonly periods: number;
  private readonly duration: number;
  private readonly periodOffset: number;
  private readonly nTT: number;
  private readonly times: Float64Array;
  private readonly pred: Float64Array;
  private readonly rng = new RandomStream();
  private readonly one = new Int32Array(1);
  private readonly dense: boolean;
  private readonly counterfactual: boolean;
  /** Doses that are the same for every twin of an arm are built (and resolved) once. */
  private readonly fixedDoses: (Dose[] | undefined)[];
  private readonly fixedRegimens: (ResolvedRegimen | undefined)[];
  private readonly perTwinDoses: boolean;
  private readonly hasWindows: boolean;
  private readonly obs = {
    twin: new GrowableColumn<Int32Array>(Int32Array),
    arm: new GrowableColumn<Int16Array>(Int16Array),
    variable: new GrowableColumn<Int16Array>(Int16Array),
    time: new GrowableColumn<Float64Array>(Float64Array),
    value: new GrowableColumn<Float64Array>(Float64Array)
  };
  private readonly prof: {
    twin: GrowableColumn<Int32Array>;
    arm: GrowableColumn<Int16Array>;
    variable: GrowableColumn<Int16Array>;
    t0: GrowableColumn<Float64Array>;
    length: GrowableColumn<Int32Array>;
    value: GrowableColumn<Float64Array>;
  };
  private readonly ev: EventColumns = {
    twin: new GrowableColumn<Int32Array>(Int32Array),
    arm: new GrowableColumn<Int16Array>(Int16Array),
    kind: new GrowableColumn<Int16Array>(Int16Array),
    endpoint: new GrowableColumn<Int16Array>(Int16Array),
    time: new GrowableColumn<Float64Array>(Float64Array)
  };
  private readonly ep = {
    twin: new GrowableColumn<Int32Array>(Int32Array),
    arm: new GrowableColumn<Int16Array>(Int16Array),
    endpoint: new GrowableColumn<Int16Array>(Int16Array),
    value: new GrowableColumn<Float64Array>(Float64Array),
    censored: new GrowableColumn<Int8Array>(Int8Array)
  };

  /** Scratch: predictions gathered at some grid indices; NCA samples. */
  private gathered = new Float64Array(0);
  private readonly ncaTimes: Float64Array;
  private readonly ncaValues: Float64Array;

  // The twin being simulated.
  private j = 0;
  private id = 0;
  private twinParams: Float64Array = new Float64Array(0);
  private weight = NaN;
  private bsa = NaN;

  constructor(
    private readonly plan: TrialPlan,
    private readonly replicate: number,
    private readonly firstId: number,
    private readonly count: number,
    arms?: Int16Array
  ) {
    const seed = (this.seed = replicateSeed(plan.protocol.seed, replicate));
    const twins = (this.twins = generateCohortChunk(plan.cohort, seed, firstId, count));
    this.assigned = arms ?? allocateRange(plan.allocation, seed, firstId, count);
    const ids = (this.ids = Int32Array.from({ length: count }, (_, j) => firstId + j));

    // Individual parameters: IIV and covariate effects, then values the twin carries.
    const nCov = plan.covariateSlots.length;
    const cov = new Float64Array(count * nCov);
    for (let j = 0; j < count; j++)
      for (let c = 0; c < nCov; c++) cov[j * nCov + c] = twins.columns[plan.covariateSlots[c]][j];
    const nP = (this.nP = plan.parameters.nParameters);
    const params = (this.params = parameterModelFor(plan, replicate).fill(
      seed,
      ids,
      cov,
      new Float64Array(count * nP)
    ));
    for (const { parameter, slot } of plan.individual) {
      for (let j = 0; j < count; j++) params[j * nP + parameter] = twins.columns[slot][j];
    }
    this.second = plan.companion
      ? companionParameters(plan, seed, ids, twins.columns, nTTFor(plan))
      : undefined;

    this.nOut = plan.model.outputs.length;
    this.nT = plan.times.length;
    this.periods = plan.protocol.design === 'crossover' ? 2 : 1;
    this.duration = plan.protocol.schedule.duration;
    this.periodOffset = this.duration + (plan.washout ?? 0);
    this.nTT = this.nT * this.periods;
    this.times = new Float64Array(this.nTT);
    this.pred = new Float64Array(this.nOut * this.nTT);
    this.ncaTimes = new Float64Array(this.nT);
    this.ncaValues = new Float64Array(this.nT);
    this.dense = plan.protocol.schedule.dense !== undefined;
    this.prof = {
      twin: new GrowableColumn<Int32Array>(Int32Array),
      arm: new GrowableColumn<Int16Array>(Int16Array),
      variable: new GrowableColumn<Int16Array>(Int16Array),
      t0: new GrowableColumn<Float64Array>(Float64Array),
      length: new GrowableColumn<Int32Array>(Int32Array),
      value: new GrowableColumn<Float64Array>(
        Float64Array,
        this.dense ? count * plan.observed.length * this.nTT : 1024
      )
    };
    this.counterfactual = plan.protocol.design === 'counterfactual';
    this.fixedDoses = plan.arms.map((arm) =>
      arm.regimen?.unit === 'mg' || arm.placebo ? regimenDoses(arm, this.duration, NaN, NaN) : undefined
    );
    this.fixedRegimens = this.fixedDoses.map((d) => (d ? resolveRegimen(plan.model, d) : undefined));
    this.perTwinDoses = plan.adherence !== undefined && plan.adherence.missed > 0;
    this.hasWindows = plan.visitWindow.some((w) => w > 0);
  }

  simulateTwin(j: number): void {
    const { plan, times, nT, rng, seed } = this;
    const id = this.firstId + j;
    this.j = j;
    this.id = id;
    this.one[0] = id;
    this.twinParams = this.params.subarray(j * this.nP, (j + 1) * this.nP);
    // Visit times: nominal, or drawn within each visit's window.
    times.set(plan.times);
    if (this.hasWindows) {
      rng.reset(seed, VISIT, id);
      for (let v = 0; v < plan.visitIndex.length; v++) {
        const k = plan.visitIndex[v];
        const w = plan.visitWindow[v];
        if (w > 0) {
          const lo = k > 0 ? (plan.times[k - 1] + plan.times[k]) / 2 : 0;
          const hi = k < nT - 1 ? (plan.times[k] + plan.times[k + 1]) / 2 : plan.times[k];
          times[k] = Math.min(hi, Math.max(lo, plan.times[k] + (2 * rng.uniform() - 1) * w));
        }
      }
    }
    for (let k = nT; k < this.nTT; k++) times[k] = times[k - nT] + this.periodOffset;
    this.weight = plan.weightSlot >= 0 ? this.twins.columns[plan.weightSlot][j] : NaN;
    this.bsa = plan.bsaSlot >= 0 ? this.twins.columns[plan.bsaSlot][j] : NaN;
    // Non-informative dropout time: the same in every arm of a counterfactual twin.
    const dropoutDraw = plan.dropout ? -Math.log(rng.reset(seed, DROPOUT, id).uniformOpen()) : Infinity;

    // The arms the twin is simulated under: one scenario per arm (counterfactual) or its
    // assigned arm; a crossover scenario lists its sequence's arms, one per period.
    if (this.counterfactual) {
      for (let a = 0; a < plan.arms.length; a++) this.simulateScenario([a], dropoutDraw);
    } else if (this.periods === 2) {
      this.simulateScenario(this.assigned[j] === 0 ? [0, 1] : [1, 0], dropoutDraw);
    } else {
      this.simulateScenario([this.assigned[j]], dropoutDraw);
    }
  }

  /** The twin under one scenario: its arm in each period. */
  private simulateScenario(periodArms: number[], dropoutDraw: number): void {
    const { plan, id, pred, times, nTT, periods, periodOffset, duration } = this;
    const first = periodArms[0];
    const arm = plan.arms[first];
    let doses: Dose[];
    let shared = false;
    let missed: number[] | undefined;
    if (periods === 1 && this.fixedDoses[first] && !this.perTwinDoses && !arm.titration.length) {
      doses = this.fixedDoses[first];
      shared = true;
    } else {
      doses = [];
      for (let p = 0; p < periodArms.length; p++) {
        const a = periodArms[p];
        for (const d of this.fixedDoses[a] ?? regimenDoses(plan.arms[a], duration, this.weight, this.bsa))
          doses.push({ ...d, time: d.time + p * periodOffset });
      }
      if (this.perTwinDoses) {
        const companionTimes = this.second ? this.companionDosesOf(periodArms).map((d) => d.time) : [];
        ({ doses, missed } = missDoses(
          doses,
          companionTimes,
          plan.adherence!,
          this.rng.reset(this.seed, ADHERENCE, id),
          this.ev,
          id,
          first
        ));
      }
    }
    this.simulateDoses(periodArms, doses, shared, missed);
    // Titration: a rule that fires changes every later dose, then the twin is re-simulated.
    for (const rule of arm.titration) {
      const values = new Float64Array(this.nOut);
      for (let o = 0; o < this.nOut; o++) values[o] = pred[o * nTT + rule.obsIndex];
      if (rule.condition(values)) {
        const after = times[rule.obsIndex];
        doses = doses.map((d) => (d.time > after ? { ...d, amount: rule.dose } : d));
        this.simulateDoses(periodArms, doses, false, missed);
      }
    }

    // Dropout: constant hazard, or scaled by the change of an output at the last visit.
    const dropoutTime = plan.dropout ? dropoutTimeOf(plan, dropoutDraw, pred, times) : Infinity;
    // Events along the twin's solution; a terminal one (death) ends its follow-up.
    const eventTime = plan.endpoints.map((e) => (e.spec.type === 'tte' ? this.eventTimeOf(e, doses) : NaN));
    let followUpEnd = dropoutTime;
    plan.endpoints.forEach((e, ei) => {
      if (e.spec.type === 'tte' && e.spec.terminal && eventTime[ei] < followUpEnd)
        followUpEnd = eventTime[ei];
    });
    if (dropoutTime <= (periods - 1) * periodOffset + duration) {
      const p = Math.min(periods - 1, Math.floor(dropoutTime / periodOffset));
      pushEvent(this.ev, id, periodArms[p], 0, -1, dropoutTime);
    }
    for (let p = 0; p < periodArms.length; p++) {
      this.record(periodArms[p], p, eventTime, dropoutTime, followUpEnd);
    }
  }

  /** Simulates the twin's doses (a combination arm's companion too), then residual error. */
  private simulateDoses(periodArms: number[], doses: Dose[], shared: boolean, missed: number[] | undefined) {
    const { plan, id } = this;
    const first = periodArms[0];
    const regimen = shared ? this.fixedRegimens[first]! : resolveRegimen(plan.model, doses);
    const twin = `twin ${id}, arm ${plan.arms[first].name}, replicate ${this.replicate}`;
    const ref = plan.modelSpec.model;
    try {
      plan.simulator.simulateTwin(this.twinParams, 0, regimen, this.times, this.pred, id);
    } catch (e) {
      const failure = (e as Error).message;
      throw new TwinSimulationError(
        `${twin}: ${whyNotFinite(ref, plan.model, this.twinParams, doses, this.times, { failure })}`,
        id
      );
    }
    failIfNotFinite(twin, id, ref, plan.model, this.twinParams, doses, this.times, this.pred);
    if (this.second) this.addCompanion(periodArms, missed, twin);
    if (this.dense) {
      this.applyResidualAt(plan.sampledIndex, 0);
      this.applyResidualAt(plan.denseOnlyIndex, 1);
    } else {
      plan.residual.apply(this.seed, this.one, this.nTT, this.pred, undefined, 0);
    }
  }

  /**
   * Residual error on the predictions at some grid indices (in every period), drawn from
   * the twin's residual stream `stream`: the visits and PK samples draw from stream 0 in
   * time order, exactly as without a dense grid, and dense-grid points from stream 1.
   */
  private applyResidualAt(index: Int32Array, stream: number): void {
    const { nOut, nT, nTT, pred, periods } = this;
    const m = index.length * periods;
    if (m === 0) return;
    if (this.gathered.length < nOut * m) this.gathered = new Float64Array(nOut * m);
    const buf = this.gathered;
    for (let o = 0; o < nOut; o++)
      for (let p = 0; p < periods; p++)
        for (let i = 0; i < index.length; i++)
          buf[o * m + p * index.length + i] = pred[o * nTT + p * nT + index[i]];
    this.plan.residual.apply(this.seed, this.one, m, buf, undefined, stream);
    for (let o = 0; o < nOut; o++)
      for (let p = 0; p < periods; p++)
        for (let i = 0; i < index.length; i++)
          pred[o * nTT + p * nT + index[i]] = buf[o * m + p * index.length + i];
  }

  /** The companion drug's doses over the periods, following each period's arm. */
  private companionDosesOf(periodArms: number[]): Dose[] {
    const doses: Dose[] = [];
    periodArms.forEach((a, p) => {
      const ca = this.plan.arms[a].companion;
      if (!ca) return;
      for (const d of regimenDoses(ca, this.duration, this.weight, this.bsa))
        doses.push({ ...d, time: d.time + p * this.periodOffset });
    });
    return doses;
  }

  /** Adds the second drug's effect (simulated with its own model) to the primary output,
   * in combination arms; its doses at missed dosing occasions are not taken. */
  private addCompanion(periodArms: number[], missed: number[] | undefined, twin: string): void {
    const c = this.plan.companion!;
    const second = this.second!;
    const { id, j, nTT, pred } = this;
    let companionDoses = this.companionDosesOf(periodArms);
    if (missed?.length) companionDoses = companionDoses.filter((d) => !missed.includes(d.time));
    if (!companionDoses.length) return;
    const nP2 = c.parameters.nParameters;
    const p2 = second.params.subarray(j * nP2, (j + 1) * nP2);
    const ref = this.plan.protocol.companion!.model.model;
    const at = `${twin}, ${c.name}`;
    try {
      c.simulator.simulateTwin(p2, 0, resolveRegimen(c.model, companionDoses), this.times, second.pred, id);
    } catch (e) {
      const failure = (e as Error).message;
      throw new TwinSimulationError(
        `${at}: ${whyNotFinite(ref, c.model, p2, companionDoses, this.times, { failure })}`,
        id
      );
    }
    failIfNotFinite(at, id, ref, c.model, p2, companionDoses, this.times, second.pred);
    for (let k = 0; k < nTT; k++) pred[c.to * nTT + k] += second.pred[c.from * nTT + k];
  }

  /** The twin's observations (or dense profile) and endpoints in period p under arm a. */
  private record(a: number, p: number, eventTime: number[], dropoutTime: number, followUpEnd: number): void {
    const { plan, id, times, pred, nT, nTT } = this;
    const base0 = p * nT;
    if (this.dense) {
      // The grid is fixed and sorted, so the times within follow-up are a prefix.
      const prof = this.prof;
      let length = 0;
      while (length < nT && times[base0 + length] <= followUpEnd) length++;
      if (length > 0) {
        for (const o of plan.observed) {
          prof.twin.push(id);
          prof.arm.push(a);
          prof.variable.push(o);
          prof.t0.push(p * this.periodOffset);
          prof.length.push(length);
          prof.value.pushAll(pred.subarray(o * nTT + base0, o * nTT + base0 + length));
        }
      }
    } else {
      const obs = this.obs;
      for (const o of plan.observed) {
        for (let k = 0; k < nT; k++) {
          const kk = base0 + k;
          if (times[kk] > followUpEnd) continue;
          obs.twin.push(id);
          obs.arm.push(a);
          obs.variable.push(o);
          obs.time.push(times[kk]);
          obs.value.push(pred[o * nTT + kk]);
        }
      }
    }
    const ep = this.ep;
    for (let ei = 0; ei < plan.endpoints.length; ei++) {
      const [value, censored] = this.endpointValue(ei, p, a, eventTime[ei], dropoutTime, followUpEnd);
      ep.twin.push(id);
      ep.arm.push(a);
      ep.endpoint.push(ei);
      ep.value.push(value);
      ep.censored.push(censored);
    }
  }

  /** The first event time of a time-to-event endpoint (NaN: none before the study's end). */
  private eventTimeOf(e: Endpoint, doses: Dose[]): number {
    let lp = 0;
    for (const h of e.hazardCovariates) lp += h.beta * this.twins.columns[h.slot][this.j];
    return e.events!.simulateChunk(this.twinParams, doses, this.seed, this.one, Float64Array.of(lp), 0)
      .times[0];
  }

  /** An endpoint's value (NaN when missing) and censoring flag in period p. Visit
   * endpoints are missing after follow-up ends; an event is censored at dropout. */
  private endpointValue(
    ei: number,
    p: number,
    a: number,
    t: number,
    dropoutTime: number,
    followUpEnd: number
  ): [number, number] {
    const { plan, times, pred, nT, nTT, duration } = this;
    const e = plan.endpoints[ei];
    const s = e.spec;
    const base0 = p * nT;
    if (s.type === 'continuous' || s.type === 'responder') {
      const k = base0 + e.obsIndex;
      if (times[k] > followUpEnd) return [NaN, 0];
      const baseline = pred[e.output * nTT + base0 + plan.visitIndex[0]];
      const y = pred[e.output * nTT + k];
      const m =
        s.measure === 'value' ? y : s.measure === 'change' ? y - baseline : (100 * (y - baseline)) / baseline;
      if (s.type === 'continuous') return [m, 0];
      return [(s.direction === 'below' ? m < s.threshold : m > s.threshold) ? 1 : 0, 0];
    }
    if (s.type === 'pk') {
      // NCA on the sampled concentrations (not on dense-grid points).
      const index = plan.sampledIndex;
      const tt = this.ncaTimes.subarray(0, index.length);
      const c = this.ncaValues.subarray(0, index.length);
      for (let i = 0; i < index.length; i++) {
        tt[i] = times[base0 + index[i]];
        c[i] = pred[e.output * nTT + base0 + index[i]];
      }
      const shift = p * this.periodOffset;
      const from = s.from + shift;
      const to = Math.min((s.to ?? duration) + shift, followUpEnd);
      const metric = s.metric === 'auc' ? aucLinearUpLogDown : s.metric === 'cmax' ? cmax : ctrough;
      return [metric(tt, c, from, to), 0];
    }
    // Time to event: censored at dropout or at the end of the study.
    const end = Math.min(duration, dropoutTime);
    if (Number.isNaN(t) || t > end) return [end, 1];
    pushEvent(this.ev, this.id, a, 2, ei, t);
    return [t, 0];
  }

  /** The chunk's result columns (compact, transferable). */
  finish(strata?: Int32Array): TrialChunk {
    const { obs, prof, ev, ep } = this;
    return {
      replicate: this.replicate,
      firstId: this.firstId,
      count: this.count,
      assignment: {
        twin: this.ids,
        arm: Int16Array.from(this.assigned),
        stratum: strata ?? new Int32Array(this.count)
      },
      observation: {
        twin: obs.twin.finish(),
        arm: obs.arm.finish(),
        variable: obs.variable.finish(),
        time: obs.time.finish(),
        value: obs.value.finish()
      },
      profile: {
        twin: prof.twin.finish(),
        arm: prof.arm.finish(),
        variable: prof.variable.finish(),
        t0: prof.t0.finish(),
        length: prof.length.finish(),
        value: prof.value.finish()
      },
      event: {
        twin: ev.twin.finish(),
        arm: ev.arm.finish(),
        kind: ev.kind.finish(),
        endpoint: ev.endpoint.finish(),
        time: ev.time.finish()
      },
      endpoint: {
        twin: ep.twin.finish(),
        arm: ep.arm.finish(),
        endpoint: ep.endpoint.finish(),
        value: ep.value.finish(),
        censored: ep.censored.finish()
      }
    };
  }
}

const UNCERTAINTY = purposeHash('uncertainty');
/** The companion drug's parameters use the streams of this pseudo-replicate of the
 * replicate's seed, so they are independent of the primary model's. */
export const COMPANION_STREAM = 0x7fff0000;

function nTTFor(plan: TrialPlan): number {
  return plan.times.length * (plan.protocol.design === 'crossover' ? 2 : 1);
}

/** The companion drug's individual parameters for a chunk, and its prediction buffer. */
function companionParameters(
  plan: TrialPlan,
  seed: number,
  ids: Int32Array,
  columns: Float64Array[],
  nTT: number
) {
  const c = plan.companion!;
  const nCov = c.covariateSlots.length;
  const cov = new Float64Array(ids.length * nCov);
  for (let j = 0; j < ids.length; j++)
    for (let k = 0; k < nCov; k++) cov[j * nCov + k] = columns[c.covariateSlots[k]][j];
  const params = c.parameters.fill(
    replicateSeed(seed, COMPANION_STREAM),
    ids,
    cov,
    new Float64Array(ids.length * c.parameters.nParameters)
  );
  return { params, pred: new Float64Array(c.model.outputs.length * nTT) };
}
const replicateModels = new WeakMap<TrialPlan, Map<number, IndividualParameterModel>>();

/**
 * The parameter model of a replicate: with parameter uncertainty, each replicate draws
 * its own typical values, log-normally around the protocol's, from
 * (protocol seed, 'uncertainty', parameter, replicate).
 */
function parameterModelFor(plan: TrialPlan, replicate: number): ParameterSource {
  if (!plan.uncertainty.length) return plan.parameters;
  let cache = replicateModels.get(plan);
  if (!cache) replicateModels.set(plan, (cache = new Map()));
  let model = cache.get(replicate);
  if (!model) {
    const rng = new RandomStream();
    const parameters: Record<string, number> = {};
    for (const p of plan.model.parameters)
      parameters[p.name] = plan.modelSpec.parameters?.[p.name] ?? p.value;
    for (const u of plan.uncertainty) {
      const name = plan.model.parameters[u.parameter].name;
      parameters[name] *= Math.exp(
        u.sd * rng.reset(plan.protocol.seed, UNCERTAINTY, u.parameter + 1, replicate).normal()
      );
    }
    model = new IndividualParameterModel(plan.model, { ...plan.modelSpec, parameters }, plan.covariateNames);
    cache.set(replicate, model);
  }
  return model;
}

type EventColumns = {
  twin: GrowableColumn<Int32Array>;
  arm: GrowableColumn<Int16Array>;
  kind: GrowableColumn<Int16Array>;
  endpoint: GrowableColumn<Int16Array>;
  time: GrowableColumn<Float64Array>;
};

function pushEvent(ev: EventColumns, id: number, arm: number, kind: number, endpoint: number, time: number) {
  ev.twin.push(id);
  ev.arm.push(arm);
  ev.kind.push(kind);
  ev.endpoint.push(endpoint);
  ev.time.push(time);
}

/**
 * Missed dosing occasions (independent, or a two-state Markov chain), recorded as events.
 * An occasion is a time at which the twin is due a dose of either drug: a missed occasion
 * skips every drug due then (a combination is taken together). Returns the primary
 * drug's doses taken and the missed occasions' times.
 */
function missDoses(
  doses: Dose[],
  companionTimes: number[],
  adherence: { missed: number; stayMissing?: number },
  rng: RandomStream,
  ev: EventColumns,
  id: number,
  arm: number
): { doses: Dose[]; missed: number[] } {
  const occasions = companionTimes.length
    ? [...new Set([...doses.map((d) => d.time), ...companionTimes])].sort((a, b) => a - b)
    : undefined;
  const count = occasions ? occasions.length : doses.length;
  const missed: number[] = [];
  const kept: Dose[] = [];
  let previousMissed = false;
  for (let k = 0; k < count; k++) {
    const time = occasions ? occasions[k] : doses[k].time;
    const p: number =
      previousMissed && adherence.stayMissing !== undefined ? adherence.stayMissing : adherence.missed;
    previousMissed = rng.uniform() < p;
    if (previousMissed) {
      missed.push(time);
      pushEvent(ev, id, arm, 1, -1, time);
    } else if (!occasions) kept.push(doses[k]);
  }
  return { doses: occasions ? doses.filter((d) => !missed.includes(d.time)) : kept, missed };
}

/** Dropout time by inverting the cumulative hazard at the unit-exponential draw e. */
function dropoutTimeOf(plan: TrialPlan, e: number, pred: Float64Array, times: Float64Array): number {
  const d = plan.dropout!;
  if (!d.informative) return d.rate > 0 ? e / d.rate : Infinity;
  const nT = times.length;
  const o = d.informative.output;
  const base = pred[o * nT + plan.visitIndex[0]];
  let t = 0;
  let cum = 0;
  let rate = d.rate;
  for (let v = 1; v <= plan.visitIndex.length; v++) {
    const tNext = v < plan.visitIndex.length ? times[plan.visitIndex[v]] : Infinity;
    if (rate > 0 && cum + rate * (tNext - t) >= e) return t + (e - cum) / rate;
    cum += rate * (tNext - t);
    t = tNext;
    if (v < plan.visitIndex.length) {
      rate = d.rate * Math.exp(d.informative.coefficient * (pred[o * nT + plan.visitIndex[v]] - base));
    }
  }
  return Infinity;
}
