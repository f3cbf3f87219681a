/**
 * One twin's dosing as a time-sorted list of state changes, in typed arrays:
 * a bolus adds an amount to a state, a rate change adds to the constant input into a
 * state (an infusion is a +rate at its start and a −rate at its end). Built by a pure
 * function from the regimen plus the twin's bioavailability and lag per dose target;
 * never from magic event codes. Every simulator applies it the same way: `applyThrough`
 * hands each event not yet applied to the simulator's state in time order.
 */

export const BOLUS = 0;
export const RATE_CHANGE = 1;

/** A dose of the regimen with its target already resolved to a model dose-target slot. */
export interface ResolvedDose {
  /** Nominal dose time (h). */
  time: number;
  /** Amount (model amount unit, mg by default). */
  amount: number;
  /** Index into the model's dose targets. */
  targetSlot: number;
  /** State index the dose enters. */
  state: number;
  /** Zero-order input duration (h); 0 for a bolus / first-order absorption dose. */
  duration: number;
}

/** What dose events change: a simulator's state (closed-form modes or an ODE). */
export interface DoseEventTarget {
  /** Adds `amount` to state `state` at time `time`. */
  addBolus(state: number, amount: number, time: number): void;
  /** Adds `delta` to the constant input rate into state `state` from time `time` on. */
  addRate(state: number, delta: number, time: number): void;
}

export class DoseTimeline {
  time: Float64Array;
  state: Int32Array;
  kind: Uint8Array;
  value: Float64Array;
  count = 0;
  /** The first event not yet applied. */
  next = 0;

  constructor(capacity = 16) {
    this.time = new Float64Array(capacity);
    this.state = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.value = new Float64Array(capacity);
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }

  /** Applies every event not yet applied at or before time t to `target`, in time order. */
  applyThrough(t: number, target: DoseEventTarget): void {
    while (this.next < this.count && this.time[this.next] <= t) {
      const e = this.next++;
      if (this.kind[e] === BOLUS) target.addBolus(this.state[e], this.value[e], this.time[e]);
      else target.addRate(this.state[e], this.value[e], this.time[e]);
    }
  }

  /** Time of the next event not yet applied, or Infinity. */
  nextTime(): number {
    return this.next < this.count ? this.time[this.next] : Infinity;
  }

  push(time: number, state: number, kind: number, value: number): void {
    if (this.count === this.time.length) this.grow();
    const i = this.count++;
    this.time[i] = time;
    this.state[i] = state;
    this.kind[i] = kind;
    this.value[i] = value;
  }

  /**
   * Fills the timeline for one twin: dose amounts scaled by the bioavailability of their
   * target, entry delayed by its lag, infusions split into start and stop rate changes.
   */
  fill(
    doses: readonly ResolvedDose[],
    bioavailability: Float64Array,
    lag: Float64Array,
    infusion?: TargetInfusions
  ): void {
    this.clear();
    for (const d of doses) {
      const f = bioavailability[d.targetSlot];
      const start = d.time + lag[d.targetSlot];
      const duration = infusionDuration(d, f, infusion);
      if (duration > 0) {
        const rate = (d.amount * f) / duration;
        this.push(start, d.state, RATE_CHANGE, rate);
        this.push(start + duration, d.state, RATE_CHANGE, -rate);
      } else {
        this.push(start, d.state, BOLUS, d.amount * f);
      }
    }
    this.sortByTime();
  }

  /** Stable insertion sort: the list is nearly sorted already, so this is ~linear. */
  sortByTime(): void {
    const { time, state, kind, value } = this;
    for (let i = 1; i < this.count; i++) {
      const t = time[i],
        s = state[i],
        k = kind[i],
        v = value[i];
      let j = i - 1;
      while (j >= 0 && time[j] > t) {
        time[j + 1] = time[j];
        state[j + 1] = state[j];
        kind[j + 1] = kind[j];
        value[j + 1] = value[j];
        j--;
      }
      time[j + 1] = t;
      state[j + 1] = s;
      kind[j + 1] = k;
      value[j + 1] = v;
    }
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Float64Array(cap);
    t.set(this.time);
    this.time = t;
    const s = new Int32Array(cap);
    s.set(this.state);
    this.state = s;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const v = new Float64Array(cap);
    v.set(this.value);
    this.value = v;
  }
}

/**
 * Infusions a model defines for its dose targets (0: none), per target: a duration (h),
 * or a rate (amount per hour) giving the duration F·amount / rate.
 */
export interface TargetInfusions {
  duration: Float64Array;
  rate: Float64Array;
}

/** A dose's infusion duration: its own when given, else its target's (0: a bolus). */
export function infusionDuration(d: ResolvedDose, f: number, infusion: TargetInfusions | undefined): number {
  if (d.duration > 0 || !infusion) return d.duration;
  const slot = d.targetSlot;
  if (infusion.duration[slot] > 0) return infusion.duration[slot];
  return infusion.rate[slot] > 0 ? (d.amount * f) / infusion.rate[slot] : 0;
}
