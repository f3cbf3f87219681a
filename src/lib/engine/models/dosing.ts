/**
 * Regimen doses as the protocol layer states them, and their resolution against a
 * model's dose targets. Per-twin bioavailability, lag and volume scaling are looked up
 * from the twin's parameter vector by `DoseTargetFactors`.
 */
import type { ResolvedDose, TargetInfusions } from '../pk/doseTimeline';
import type { ModelDefinition } from './modelDefinition';
import { parameterIndex } from './modelDefinition';

export interface Dose {
  /** Nominal dose time (h, ≥ 0). */
  time: number;
  /** Amount (mg unless the model says otherwise). */
  amount: number;
  /** Dose target name declared by the model, e.g. 'depot' or 'central'. */
  target: string;
  /** Zero-order infusion duration (h); omit or 0 for a bolus / oral dose. */
  duration?: number;
  /**
   * Start at steady state: the dose is taken to have been given every this many hours
   * forever before (closed-form and hybrid PK only; dose time must be 0).
   */
  steadyStateInterval?: number;
}

export interface ResolvedRegimen {
  doses: ResolvedDose[];
  /** Steady-state doses (a subset of `doses`, by index) with their intervals. */
  steadyState: { dose: number; interval: number }[];
}

/** Doses every `interval` hours from `start`: `count` of them (a pure regimen builder). */
export function repeatedDoses(
  amount: number,
  target: string,
  interval: number,
  count: number,
  start = 0,
  duration = 0
): Dose[] {
  return Array.from({ length: count }, (_, i) => ({ time: start + i * interval, amount, target, duration }));
}

export function resolveRegimen(model: ModelDefinition, doses: readonly Dose[]): ResolvedRegimen {
  const resolved: ResolvedDose[] = [];
  const steadyState: { dose: number; interval: number }[] = [];
  doses.forEach((d, i) => {
    const slot = model.doseTargets.findIndex((t) => t.name === d.target);
    if (slot < 0) {
      throw new Error(
        `doses[${i}].target: model ${model.name} has no dose target '${d.target}' ` +
          `(has ${model.doseTargets.map((t) => t.name).join(', ')})`
      );
    }
    if (!(Number.isFinite(d.time) && d.time >= 0))
      throw new Error(`doses[${i}].time must be ≥ 0, got ${d.time}`);
    if (!(Number.isFinite(d.amount) && d.amount >= 0))
      throw new Error(`doses[${i}].amount must be ≥ 0, got ${d.amount}`);
    const duration = d.duration ?? 0;
    if (!(duration >= 0)) throw new Error(`doses[${i}].duration must be ≥ 0, got ${duration}`);
    resolved.push({
      time: d.time,
      amount: d.amount,
      targetSlot: slot,
      state: model.doseTargets[slot].state,
      duration
    });
    if (d.steadyStateInterval !== undefined) {
      if (d.time !== 0)
        throw new Error(`doses[${i}].steadyStateInterval is only supported for a dose at time 0`);
      steadyState.push({ dose: i, interval: d.steadyStateInterval });
    }
  });
  return { doses: resolved, steadyState };
}

/** Per-twin multipliers and lags of each dose target, read from the parameter vector. */
export class DoseTargetFactors {
  readonly bioavailability: Float64Array;
  readonly lag: Float64Array;
  /** Infusions the model defines per target (a model text's doses block; else none). */
  readonly infusion: TargetInfusions | undefined;
  private readonly fIndex: Int32Array;
  private readonly lagIndex: Int32Array;
  private readonly volumeIndex: Int32Array;
  private readonly compute: ModelDefinition['doseFactors'];

  constructor(model: ModelDefinition) {
    this.compute = model.doseFactors;
    const n = model.doseTargets.length;
    this.bioavailability = new Float64Array(n);
    this.lag = new Float64Array(n);
    this.infusion = model.doseInfusions
      ? { duration: new Float64Array(n), rate: new Float64Array(n) }
      : undefined;
    const idx = (name: string | undefined) => (name ? parameterIndex(model, name) : -1);
    this.fIndex = Int32Array.from(model.doseTargets, (t) => idx(t.bioavailability));
    this.lagIndex = Int32Array.from(model.doseTargets, (t) => idx(t.lag));
    this.volumeIndex = Int32Array.from(model.doseTargets, (t) => idx(t.volume));
  }

  update(p: Float64Array): void {
    if (this.compute)
      return this.compute(p, this.bioavailability, this.lag, this.infusion?.duration, this.infusion?.rate);
    for (let s = 0; s < this.fIndex.length; s++) {
      let f = this.fIndex[s] >= 0 ? p[this.fIndex[s]] : 1;
      if (this.volumeIndex[s] >= 0) f /= p[this.volumeIndex[s]];
      this.bioavailability[s] = f;
      this.lag[s] = this.lagIndex[s] >= 0 ? p[this.lagIndex[s]] : 0;
    }
  }
}
