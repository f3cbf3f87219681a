import { generateCohortChunk, type CohortChunk } from '../cohort';
import { resolveRegimen, type Dose } from '../models';
import { purposeHash, RandomStream } from '../rng';
import { allocateRange } from './allocate';
import { ArmDoses } from './arm-doses';
import { chunkParameters } from './chunk-parameters';
import { CompanionDrug } from './companion-drug';
import type { CompiledEndpoint } from './compile-endpoints';
import type { TrialPlan } from './compile-protocol';
import { dropoutTime } from './dropout-time';
import { endpointEventTime } from './endpoint-event-time';
import { endpointValue, UndefinedMeasureError, type EndpointContext } from './endpoint-value';
import { EstimandTruth } from './estimand-truth';
import {
  EVENT_DISCONTINUATION,
  EVENT_DROPOUT,
  EVENT_ENDPOINT,
  EVENT_LOST_TO_FOLLOW_UP,
  EVENT_MISSED_DOSE,
  EVENT_RESCUE,
  NO_ENDPOINT
} from './event-kinds';
import { intercurrentEvents } from './intercurrent-events';
import { missedDoses } from './missed-doses';
import { failIfNotFinite, whyNotFinite } from './non-finite-twin';
import { replicateSeed } from './replicate-seed';
import { addRescueEffect } from './rescue-effect';
import { TrialChunkColumns, type TrialChunk } from './trial-chunk-columns';
import { followUpEnd, type TwinCourse } from './twin-course';
import { TwinSimulationError } from './twin-simulation-error';
import { visitTimes } from './visit-times';

const ADHERENCE = purposeHash('adherence');
const DROPOUT = purposeHash('dropout');
const DISCONTINUATION = purposeHash('discontinuation');
const LOSS_TO_FOLLOW_UP = purposeHash('loss-to-follow-up');

/**
 * Simulates twins [firstId, firstId+count) of replicate `replicate`: generates their
 * covariates (the cohort plan, keyed by the replicate's seed), allocates arms (unless
 * `arms` is given: sequential allocation computed over all twins), draws individual
 * parameters, and simulates each twin under its arm — or under every arm in a
 * counterfactual design, with the same random draws in each arm, so per-twin effects
 * are exact. Every draw is keyed by (replicate seed, purpose, twin id). The protocol's
 * estimands get their true values from the twins whose id is at most `truthTwins` (all by
 * default), each simulated under every arm; the others' results do not change.
 */
export function simulateTrialChunk(
  plan: TrialPlan,
  replicate: number,
  firstId: number,
  count: number,
  arms?: Int16Array,
  strata?: Int32Array,
  truthTwins = Infinity
): TrialChunk {
  const chunk = new ChunkSimulation(plan, replicate, firstId, count, arms, truthTwins);
  for (let j = 0; j < count; j++) chunk.simulateTwin(j);
  return chunk.finish(strata);
}

/**
 * One chunk's simulation: what its twins share (parameters, buffers, result columns)
 * and the twin being simulated. The per-twin steps are methods, not closures made
 * inside the twin loop, so a twin allocates only its results.
 *
 * A twin under one scenario goes through its course (`TwinCourse`): dosing (the arm's
 * doses, less missed occasions), the model (with titration), then dropout and events,
 * which set where follow-up ends; its observations, endpoints and events are recorded
 * from the course.
 */
class ChunkSimulation {
  private readonly seed: number;
  private readonly twins: CohortChunk;
  private readonly assigned: ArrayLike<number>;
  private readonly ids: Int32Array;
  private readonly params: Float64Array;
  private readonly nP: number;
  private readonly companion: CompanionDrug | undefined;
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
  /** The model's predictions as simulated (before the companion drug, rescue and residual
   * error): a rescue or discontinuation starts again from them. */
  private readonly modelPred: Float64Array;
  private readonly rng = new RandomStream();
  private readonly one = new Int32Array(1);
  private readonly dense: boolean;
  private readonly counterfactual: boolean;
  private readonly armDoses: ArmDoses;
  private readonly perTwinDoses: boolean;
  private readonly hasWindows: boolean;
  private readonly columns: TrialChunkColumns;
  /** What endpoint values are read from (the twin's grid, shared buffers). */
  private readonly endpointContext: EndpointContext;
  /** The twins' true estimand values, and the predictions without residual error they
   * are read from (only when the protocol declares estimands), for the chunk's first
   * `truthRows` twins: those whose id is at most the caller's `truthTwins`. */
  private readonly truth: EstimandTruth | undefined;
  private readonly truthRows: number;
  private readonly truePred: Float64Array;
  /** Each discontinuation hazard's draw for the twin being simulated. */
  private readonly hazardDraws: Float64Array;

  /** Scratch: predictions gathered at some grid indices. */
  private gathered = new Float64Array(0);

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
    arms?: Int16Array,
    truthTwins = Infinity
  ) {
    const seed = (this.seed = replicateSeed(plan.protocol.seed, replicate));
    const twins = (this.twins = generateCohortChunk(plan.cohort, seed, firstId, count));
    this.assigned = arms ?? allocateRange(plan.allocation, seed, firstId, count);
    const ids = (this.ids = Int32Array.from({ length: count }, (_, j) => firstId + j));
    this.nP = plan.parameters.nParameters;
    this.params = chunkParameters(plan, replicate, seed, ids, twins.columns);

    this.nOut = plan.model.outputs.length;
    this.nT = plan.times.length;
    this.periods = plan.protocol.design === 'crossover' ? 2 : 1;
    this.duration = plan.protocol.schedule.duration;
    this.periodOffset = this.duration + (plan.washout ?? 0);
    this.nTT = this.nT * this.periods;
    this.times = new Float64Array(this.nTT);
    this.pred = new Float64Array(this.nOut * this.nTT);
    this.modelPred = new Float64Array(this.pred.length);
    this.companion = plan.companion
      ? new CompanionDrug(
          plan.companion,
          plan.protocol.companion!.model.model,
          seed,
          ids,
          twins.columns,
          this.nTT
        )
      : undefined;
    this.dense = plan.protocol.schedule.dense !== undefined;
    this.columns = new TrialChunkColumns(this.dense ? count * plan.observed.length * this.nTT : 1024);
    this.counterfactual = plan.protocol.design === 'counterfactual';
    this.armDoses = new ArmDoses(plan.arms, plan.model, this.duration);
    this.perTwinDoses = plan.adherence !== undefined && plan.adherence.missed > 0;
    this.hasWindows = plan.visitWindow.some((w) => w > 0);
    this.truthRows = plan.estimands.length ? Math.max(0, Math.min(count, truthTwins - firstId + 1)) : 0;
    this.truth = plan.estimands.length
      ? new EstimandTruth(plan.estimands, plan.endpoints, plan.visitIndex, plan.arms.length, this.truthRows)
      : undefined;
    this.truePred = new Float64Array(this.truth ? this.pred.length : 0);
    this.hazardDraws = new Float64Array(plan.intercurrent?.hazards.length ?? 0);
    this.endpointContext = {
      times: this.times,
      pred: this.pred,
      nT: this.nT,
      periodOffset: this.periodOffset,
      visitIndex: plan.visitIndex,
      sampledIndex: plan.sampledIndex,
      duration: this.duration,
      ncaTimes: new Float64Array(this.nT),
      ncaValues: new Float64Array(this.nT)
    };
  }

  simulateTwin(j: number): void {
    const { plan, rng, seed } = this;
    const id = this.firstId + j;
    this.j = j;
    this.id = id;
    this.one[0] = id;
    this.twinParams = this.params.subarray(j * this.nP, (j + 1) * this.nP);
    visitTimes(plan, this.hasWindows, this.periodOffset, rng, seed, id, this.times);
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
      // The true estimand values need the twin under every arm, with the same draws.
      if (this.truth && j < this.truthRows)
        for (let a = 0; a < plan.arms.length; a++)
          if (a !== this.assigned[j]) this.simulateScenario([a], dropoutDraw, false);
    }
  }

  /**
   * The twin under one scenario (its arm in each period): its course, then its records
   * (none when `record` is false: a scenario simulated only for the true estimand values).
   */
  private simulateScenario(periodArms: number[], dropoutDraw: number, record = true): void {
    const course = this.dosing(periodArms);
    this.simulateModel(periodArms, course);
    this.titrate(periodArms, course);
    const { j, truePred, times } = this;
    const truth = j < this.truthRows ? this.truth : undefined;
    truth?.hypothetical(j, periodArms[0], truePred, times);
    if (this.plan.intercurrent) this.intercurrentEvents(periodArms, course);
    truth?.course(j, periodArms[0], truePred, times, course.discontinuationTime, course.rescueTime);
    if (!record) return;
    this.endFollowUp(course, dropoutDraw);
    this.recordEvents(periodArms, course);
    for (let p = 0; p < periodArms.length; p++) this.record(periodArms[p], p, course);
  }

  /** The course's doses: the arms' doses, less the occasions the twin missed. */
  private dosing(periodArms: number[]): TwinCourse {
    const { plan, periods } = this;
    const first = periodArms[0];
    const course: TwinCourse = {
      doses: [],
      shared: false,
      missed: undefined,
      dropoutTime: Infinity,
      eventTime: [],
      followUpEnd: Infinity,
      discontinuationTime: Infinity,
      discontinuationReason: -1,
      rescueTime: Infinity,
      lostToFollowUp: false
    };
    const fixed = this.armDoses.fixedDoses(first);
    if (periods === 1 && fixed && !this.perTwinDoses && !plan.arms[first].titration.length) {
      course.doses = fixed;
      course.shared = true;
      return course;
    }
    course.doses = this.armDoses.twinDoses(periodArms, this.periodOffset, this.weight, this.bsa);
    if (this.perTwinDoses) {
      const companionTimes = this.companion ? this.companionDoses(periodArms).map((d) => d.time) : [];
      ({ doses: course.doses, missed: course.missed } = missedDoses(
        course.doses,
        companionTimes,
        plan.adherence!,
        this.rng.reset(this.seed, ADHERENCE, this.id)
      ));
    }
    return course;
  }

  /** Titration: a rule that fires changes every later dose, then the twin is simulated again
   * from there. */
  private titrate(periodArms: number[], course: TwinCourse): void {
    const { pred, nTT, times } = this;
    for (const rule of this.plan.arms[periodArms[0]].titration) {
      const values = new Float64Array(this.nOut);
      for (let o = 0; o < this.nOut; o++) values[o] = pred[o * nTT + rule.obsIndex];
      if (rule.condition(values)) {
        const after = times[rule.obsIndex];
        course.doses = course.doses.map((d) => (d.time > after ? { ...d, amount: rule.dose } : d));
        course.shared = false;
        this.simulateModel(periodArms, course, after);
      }
    }
  }

  /**
   * Treatment discontinuation and rescue medication, checked at visits in time order on
   * the observed values (`intercurrentEvents`); discontinuation removes the later doses and
   * rescue adds its effect, each re-simulating the twin. A hazard's draw is keyed by
   * (seed, 'discontinuation', twin, hazard), the same in every arm.
   */
  private intercurrentEvents(periodArms: number[], course: TwinCourse): void {
    const { plan, seed, id, j } = this;
    const ic = plan.intercurrent!;
    ic.hazards.forEach((h, c) => {
      let lp = 0;
      for (const { slot, beta } of h.covariates) lp += beta * this.twins.columns[slot][j];
      this.hazardDraws[c] =
        -Math.log(this.rng.reset(seed, DISCONTINUATION, id, c).uniformOpen()) / Math.exp(lp);
    });
    const times = intercurrentEvents(ic, {
      times: this.times,
      pred: this.pred,
      visitIndex: plan.visitIndex,
      duration: this.duration,
      draws: this.hazardDraws,
      // The doses before t are unchanged, so the simulation resumes at t.
      discontinue: (t) => {
        course.doses = course.doses.filter((d) => d.time < t);
        course.shared = false;
        this.simulateModel(periodArms, course, t);
      },
      // Rescue adds its effect to the predictions: the model's own are unchanged.
      rescue: (t) => {
        course.rescueTime = t;
        this.observe(periodArms, course);
      }
    });
    course.discontinuationTime = times.discontinuation;
    course.discontinuationReason = times.reason;
  }

  /** Dropout (constant hazard, or scaled by an output's change) and the endpoints' events
   * along the twin's solution; a terminal event (death) ends follow-up too. */
  private endFollowUp(course: TwinCourse, dropoutDraw: number): void {
    const { plan } = this;
    course.dropoutTime = plan.dropout
      ? dropoutTime(plan.dropout, plan.visitIndex, dropoutDraw, this.pred, this.times)
      : Infinity;
    course.eventTime = plan.endpoints.map((e) =>
      e.spec.type === 'tte'
        ? endpointEventTime(e, this.twinParams, course.doses, this.twins.columns, this.j, this.seed, this.one)
        : NaN
    );
    course.followUpEnd = followUpEnd(plan.endpoints, course.eventTime, course.dropoutTime);
    // A twin who discontinues while followed is lost to follow-up then with its
    // probability (one draw per twin, the same in every arm); otherwise its visits go on.
    const loss = plan.intercurrent?.lossToFollowUp ?? 0;
    const t = course.discontinuationTime;
    if (
      loss > 0 &&
      t < Infinity &&
      t <= course.followUpEnd &&
      this.rng.reset(this.seed, LOSS_TO_FOLLOW_UP, this.id).uniform() < loss
    ) {
      course.lostToFollowUp = true;
      course.followUpEnd = t;
    }
  }

  /** The course's missed doses and dropout as events (endpoint events are recorded with
   * the endpoints). */
  private recordEvents(periodArms: number[], course: TwinCourse): void {
    const { id, periods, periodOffset, duration } = this;
    // After discontinuation no dose of the drug is due, so none is missed (a companion
    // drug goes on and still skips those occasions).
    for (const t of course.missed ?? [])
      if (t < course.discontinuationTime)
        this.columns.event(id, periodArms[0], EVENT_MISSED_DOSE, NO_ENDPOINT, t);
    const t = course.dropoutTime;
    // A twin lost to follow-up is not seen to drop out afterwards.
    const unseen = course.lostToFollowUp && t > course.followUpEnd;
    if (t <= (periods - 1) * periodOffset + duration && !unseen) {
      const p = Math.min(periods - 1, Math.floor(t / periodOffset));
      this.columns.event(id, periodArms[p], EVENT_DROPOUT, NO_ENDPOINT, t);
    }
    // Intercurrent events are recorded while the twin is followed (no crossover here).
    const a = periodArms[0];
    const { discontinuationTime: stopped, rescueTime: rescued, followUpEnd } = course;
    if (stopped < Infinity && stopped <= followUpEnd)
      this.columns.event(id, a, EVENT_DISCONTINUATION, course.discontinuationReason, stopped);
    if (rescued < Infinity && rescued <= followUpEnd)
      this.columns.event(id, a, EVENT_RESCUE, NO_ENDPOINT, rescued);
    if (course.lostToFollowUp)
      this.columns.event(id, a, EVENT_LOST_TO_FOLLOW_UP, NO_ENDPOINT, course.discontinuationTime);
  }

  /**
   * Simulates the course's doses, then observes them. `from` > 0: the doses changed from
   * that time on, for the twin and arm simulated last, so the simulator may resume there.
   */
  private simulateModel(periodArms: number[], course: TwinCourse, from = 0): void {
    const { plan, id } = this;
    const { doses } = course;
    const first = periodArms[0];
    const regimen = course.shared ? this.armDoses.fixedRegimen(first)! : resolveRegimen(plan.model, doses);
    const twin = this.twinLabel(first);
    const ref = plan.modelSpec.model;
    try {
      plan.simulator.simulateTwin(this.twinParams, 0, regimen, this.times, this.modelPred, id, from);
    } catch (e) {
      const failure = (e as Error).message;
      throw new TwinSimulationError(
        `${twin}: ${whyNotFinite(ref, plan.model, this.twinParams, doses, this.times, { failure })}`,
        id
      );
    }
    failIfNotFinite(twin, id, ref, plan.model, this.twinParams, doses, this.times, this.modelPred);
    this.observe(periodArms, course);
  }

  private twinLabel(arm: number): string {
    return `twin ${this.id}, arm ${this.plan.arms[arm].name}, replicate ${this.replicate}`;
  }

  /**
   * The predictions from the model's: a combination arm's companion drug, rescue
   * medication's effect, then residual error.
   */
  private observe(periodArms: number[], course: TwinCourse): void {
    const { plan, id } = this;
    const { missed } = course;
    this.pred.set(this.modelPred);
    if (this.companion) {
      // The companion's doses at missed dosing occasions are not taken.
      let companionDoses = this.companionDoses(periodArms);
      if (missed?.length) companionDoses = companionDoses.filter((d) => !missed.includes(d.time));
      const twin = this.twinLabel(periodArms[0]);
      this.companion.addEffect(this.j, id, companionDoses, this.times, this.pred, twin);
    }
    const rescue = plan.intercurrent?.rescue;
    if (rescue && course.rescueTime < Infinity)
      addRescueEffect(this.pred, this.times, rescue.output, rescue.shift, rescue.onset, course.rescueTime);
    if (this.j < this.truthRows) this.truePred.set(this.pred);
    if (this.dense) {
      this.applyResidualAt(plan.sampledIndex, 0);
      this.applyResidualAt(plan.denseOnlyIndex, 1);
    } else {
      plan.residual.apply(this.seed, this.one, this.nTT, this.pred, undefined, 0);
    }
  }

  private companionDoses(periodArms: number[]): Dose[] {
    const { plan, duration, periodOffset, weight, bsa } = this;
    return this.companion!.doses(plan.arms, periodArms, duration, periodOffset, weight, bsa);
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

  /** The twin's observations (or dense profile) and endpoints in period p under arm a. */
  private record(a: number, p: number, course: TwinCourse): void {
    const { plan, id, times, pred, nT, nTT, columns } = this;
    const { followUpEnd } = course;
    const base0 = p * nT;
    if (this.dense) {
      // The grid is fixed and sorted, so the times within follow-up are a prefix.
      let length = 0;
      while (length < nT && times[base0 + length] <= followUpEnd) length++;
      if (length > 0) {
        for (const o of plan.observed) {
          const values = pred.subarray(o * nTT + base0, o * nTT + base0 + length);
          columns.profile(id, a, o, p * this.periodOffset, values);
        }
      }
    } else {
      for (const o of plan.observed) {
        for (let k = 0; k < nT; k++) {
          const kk = base0 + k;
          if (times[kk] > followUpEnd) continue;
          columns.observation(id, a, o, times[kk], pred[o * nTT + kk]);
        }
      }
    }
    for (let ei = 0; ei < plan.endpoints.length; ei++) {
      const e = plan.endpoints[ei];
      const t = course.eventTime[ei];
      // Loss to follow-up censors events as dropout does.
      const leaves = course.lostToFollowUp ? Math.min(course.dropoutTime, followUpEnd) : course.dropoutTime;
      const [value, censored] = this.endpointValue(a, e, p, t, leaves, followUpEnd);
      if (e.spec.type === 'tte' && !censored) columns.event(id, a, EVENT_ENDPOINT, ei, t);
      columns.endpoint(id, a, ei, value, censored);
    }
  }

  /** `endpointValue` in period p under arm a; a measure that is not defined fails the twin. */
  private endpointValue(
    a: number,
    e: CompiledEndpoint,
    p: number,
    t: number,
    leaves: number,
    followUpEnd: number
  ): [number, number] {
    try {
      return endpointValue(e, this.endpointContext, p, t, leaves, followUpEnd);
    } catch (err) {
      if (err instanceof UndefinedMeasureError)
        throw new TwinSimulationError(`${this.twinLabel(a)}: ${err.message}`, this.id);
      throw err;
    }
  }

  /** The chunk's result columns (compact, transferable). */
  finish(strata?: Int32Array): TrialChunk {
    const chunk = this.columns.finish(this.replicate, this.firstId, {
      twin: this.ids,
      arm: Int16Array.from(this.assigned),
      stratum: strata ?? new Int32Array(this.count)
    });
    if (this.truth) chunk.truth = this.truth.values;
    return chunk;
  }
}
