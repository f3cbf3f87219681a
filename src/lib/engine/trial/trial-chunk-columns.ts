import { GrowableColumn } from './growable';

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
  /** `kind` is a code of `EVENT_KINDS` (event-kinds.ts). */
  event: { twin: Int32Array; arm: Int16Array; kind: Int16Array; endpoint: Int16Array; time: Float64Array };
  endpoint: {
    twin: Int32Array;
    arm: Int16Array;
    endpoint: Int16Array;
    value: Float64Array;
    censored: Int8Array;
  };
  /**
   * Each twin's true estimand values (`EstimandTruth.values`: twin-major, estimand × arm),
   * empty unless the protocol declares estimands.
   */
  truth: Float64Array;
}

/** The result rows of a chunk as they are simulated: growable typed-array columns. */
export class TrialChunkColumns {
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
  private readonly ev = {
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

  /** `profileValues`: the expected number of dense-profile values (the buffer's first size). */
  constructor(profileValues: number) {
    this.prof = {
      twin: new GrowableColumn<Int32Array>(Int32Array),
      arm: new GrowableColumn<Int16Array>(Int16Array),
      variable: new GrowableColumn<Int16Array>(Int16Array),
      t0: new GrowableColumn<Float64Array>(Float64Array),
      length: new GrowableColumn<Int32Array>(Int32Array),
      value: new GrowableColumn<Float64Array>(Float64Array, profileValues)
    };
  }

  observation(twin: number, arm: number, variable: number, time: number, value: number): void {
    const obs = this.obs;
    obs.twin.push(twin);
    obs.arm.push(arm);
    obs.variable.push(variable);
    obs.time.push(time);
    obs.value.push(value);
  }

  profile(twin: number, arm: number, variable: number, t0: number, values: Float64Array): void {
    const prof = this.prof;
    prof.twin.push(twin);
    prof.arm.push(arm);
    prof.variable.push(variable);
    prof.t0.push(t0);
    prof.length.push(values.length);
    prof.value.pushAll(values);
  }

  /** An event row: `kind` from event-kinds.ts, `endpoint` its endpoint or NO_ENDPOINT. */
  event(twin: number, arm: number, kind: number, endpoint: number, time: number): void {
    const ev = this.ev;
    ev.twin.push(twin);
    ev.arm.push(arm);
    ev.kind.push(kind);
    ev.endpoint.push(endpoint);
    ev.time.push(time);
  }

  endpoint(twin: number, arm: number, endpoint: number, value: number, censored: number): void {
    const ep = this.ep;
    ep.twin.push(twin);
    ep.arm.push(arm);
    ep.endpoint.push(endpoint);
    ep.value.push(value);
    ep.censored.push(censored);
  }

  /** The chunk's result columns (compact, transferable). */
  finish(replicate: number, firstId: number, assignment: TrialChunk['assignment']): TrialChunk {
    return {
      replicate,
      firstId,
      count: assignment.twin.length,
      assignment,
      observation: finishAll(this.obs),
      profile: finishAll(this.prof),
      event: finishAll(this.ev),
      endpoint: finishAll(this.ep),
      truth: new Float64Array(0)
    };
  }
}

type Finished<T> = { [K in keyof T]: T[K] extends GrowableColumn<infer A> ? A : never };

/** Each column's filled part. */
function finishAll<
  T extends Record<string, GrowableColumn<Float64Array | Int32Array | Int16Array | Int8Array>>
>(columns: T): Finished<T> {
  const out: Record<string, ArrayLike<number>> = {};
  for (const [name, column] of Object.entries(columns)) out[name] = column.finish();
  return out as Finished<T>;
}
