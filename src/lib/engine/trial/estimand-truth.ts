import type { CompiledEstimand } from './compile-estimands';
import type { CompiledEndpoint } from './compile-endpoints';
import { responds, visitMeasure } from './endpoint-value';

/**
 * Each twin's true value of each estimand under each arm, from its predictions without
 * residual error and with complete follow-up (no dropout, no loss to follow-up):
 * - hypothetical: the course with neither discontinuation nor rescue;
 * - treatment_policy: the actual course (discontinuation, washout, rescue);
 * - while_on_treatment: the actual course at the last visit on or before discontinuation
 *   (the endpoint's visit when the twin did not discontinue before it);
 * - composite: success (1) when neither discontinuation nor rescue happened before the
 *   visit and the measure is a success (the responder rule, or `composite`'s threshold
 *   for a continuous endpoint), else 0.
 * A responder endpoint's value is 1 for a responder, so arm means are proportions.
 * `values` is twin-major: twin j's estimand s under arm a at j × K + s × nArms + a.
 */
export class EstimandTruth {
  readonly values: Float64Array;
  private readonly k: number;

  constructor(
    private readonly estimands: CompiledEstimand[],
    private readonly endpoints: CompiledEndpoint[],
    private readonly visitIndex: Int32Array,
    private readonly nArms: number,
    count: number
  ) {
    this.k = estimands.length * nArms;
    this.values = new Float64Array(count * this.k);
  }

  /** The hypothetical estimands from the course before intercurrent events. */
  hypothetical(j: number, a: number, pred: Float64Array, times: Float64Array): void {
    this.estimands.forEach((est, s) => {
      if (est.strategy !== 'hypothetical') return;
      const e = this.endpoints[est.endpoint];
      this.set(j, s, a, this.value(e, pred, times, e.obsIndex));
    });
  }

  /** The other estimands from the actual course, its discontinuation and rescue times. */
  course(
    j: number,
    a: number,
    pred: Float64Array,
    times: Float64Array,
    stopped: number,
    rescued: number
  ): void {
    this.estimands.forEach((est, s) => {
      const e = this.endpoints[est.endpoint];
      const visit = times[e.obsIndex];
      if (est.strategy === 'treatment_policy') this.set(j, s, a, this.value(e, pred, times, e.obsIndex));
      else if (est.strategy === 'while_on_treatment') {
        const last = Math.min(stopped, visit);
        let k = this.visitIndex[0];
        for (const vk of this.visitIndex) if (times[vk] <= last && times[vk] > times[k]) k = vk;
        this.set(j, s, a, this.value(e, pred, times, k));
      } else if (est.strategy === 'composite') {
        const event = stopped < visit || rescued < visit;
        const m = this.measure(e, pred, times, e.obsIndex);
        const success =
          e.spec.type === 'responder'
            ? responds(e.spec, m)
            : est.composite!.below
              ? m < est.composite!.threshold
              : m > est.composite!.threshold;
        this.set(j, s, a, !event && success ? 1 : 0);
      }
    });
  }

  private set(j: number, s: number, a: number, value: number): void {
    this.values[j * this.k + s * this.nArms + a] = value;
  }

  private measure(e: CompiledEndpoint, pred: Float64Array, times: Float64Array, k: number): number {
    const nTT = times.length;
    const s = e.spec as Extract<CompiledEndpoint['spec'], { type: 'continuous' }>;
    return visitMeasure(s, pred[e.output * nTT + k], pred[e.output * nTT + this.visitIndex[0]]);
  }

  /** The endpoint's value (a responder's 0/1) read at grid index k. */
  private value(e: CompiledEndpoint, pred: Float64Array, times: Float64Array, k: number): number {
    const m = this.measure(e, pred, times, k);
    return e.spec.type === 'responder' ? (responds(e.spec, m) ? 1 : 0) : m;
  }
}
