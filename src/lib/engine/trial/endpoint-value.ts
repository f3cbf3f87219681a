import type { CompiledEndpoint } from './compile-endpoints';
import { aucLinearUpLogDown, cmax, ctrough } from './nca';

/** What an endpoint's value is read from: the twin's grid in one period. */
export interface EndpointContext {
  /** The twin's observation times and predictions (outputs × times.length) after residual error. */
  times: Float64Array;
  pred: Float64Array;
  /** Grid points per period; period p starts at index p × nT and at time p × periodOffset. */
  nT: number;
  periodOffset: number;
  visitIndex: Int32Array;
  /** Indices of the visits and PK samples, the points NCA uses. */
  sampledIndex: Int32Array;
  /** The study's duration (h): a time-to-event endpoint is censored there. */
  duration: number;
  /** NCA scratch, at least sampledIndex.length long. */
  ncaTimes: Float64Array;
  ncaValues: Float64Array;
}

/** A visit endpoint's measure that is not a number for a twin (a percent change from 0). */
export class UndefinedMeasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndefinedMeasureError';
  }
}

type VisitEndpoint = Extract<CompiledEndpoint['spec'], { type: 'continuous' | 'responder' }>;

/** A visit endpoint's measure of the value y at its visit, given the baseline value. */
export function visitMeasure(s: Pick<VisitEndpoint, 'measure'>, y: number, baseline: number): number {
  return s.measure === 'value'
    ? y
    : s.measure === 'change'
      ? y - baseline
      : (100 * (y - baseline)) / baseline;
}

/** Whether a responder endpoint's measure m makes the twin a responder. */
export function responds(s: Extract<VisitEndpoint, { type: 'responder' }>, m: number): boolean {
  return s.direction === 'below' ? m < s.threshold : m > s.threshold;
}

/**
 * An endpoint's value (NaN when missing) and censoring flag in period p. Visit endpoints
 * are missing after follow-up ends; NCA exposure uses the sampled concentrations within
 * follow-up (not dense-grid points); an event (its time `t`, NaN for none) is censored at
 * dropout or at the end of the study.
 */
export function endpointValue(
  e: CompiledEndpoint,
  x: EndpointContext,
  p: number,
  t: number,
  dropoutTime: number,
  followUpEnd: number
): [number, number] {
  const { times, pred, nT, duration } = x;
  const nTT = times.length;
  const s = e.spec;
  const base0 = p * nT;
  if (s.type === 'continuous' || s.type === 'responder') {
    const k = base0 + e.obsIndex;
    if (times[k] > followUpEnd) return [NaN, 0];
    const baseline = pred[e.output * nTT + base0 + x.visitIndex[0]];
    const m = visitMeasure(s, pred[e.output * nTT + k], baseline);
    // Values and changes are finite (the model's are checked); a percent change is not
    // when the baseline is 0, and would silently read as missing, or as no response.
    if (!Number.isFinite(m)) {
      throw new UndefinedMeasureError(
        `endpoint '${s.name}': the percent change of ${s.variable} from a baseline of ${baseline} is not defined; use measure: change or value`
      );
    }
    if (s.type === 'continuous') return [m, 0];
    return [responds(s, m) ? 1 : 0, 0];
  }
  if (s.type === 'pk') {
    const index = x.sampledIndex;
    const tt = x.ncaTimes.subarray(0, index.length);
    const c = x.ncaValues.subarray(0, index.length);
    for (let i = 0; i < index.length; i++) {
      tt[i] = times[base0 + index[i]];
      c[i] = pred[e.output * nTT + base0 + index[i]];
    }
    const shift = p * x.periodOffset;
    const from = s.from + shift;
    const to = Math.min((s.to ?? duration) + shift, followUpEnd);
    const metric = s.metric === 'auc' ? aucLinearUpLogDown : s.metric === 'cmax' ? cmax : ctrough;
    return [metric(tt, c, from, to), 0];
  }
  // Time to event: censored at dropout or at the end of the study.
  const end = Math.min(duration, dropoutTime);
  if (Number.isNaN(t) || t > end) return [end, 1];
  return [t, 0];
}
