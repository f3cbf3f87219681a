/**
 * Residual (observation) error on model predictions, per output:
 *   additive      y = f + a·ε
 *   proportional  y = f·(1 + b·ε)
 *   combined      y = f + √(a² + b²f²)·ε     (variances add; NONMEM/Monolix "combined2")
 *   exponential   y = f·e^{a·ε}
 * with ε standard normal from the stream (seed, 'residual:<output>', twin id, replicate),
 * drawn in time order. Observations below the LLOQ are flagged (blq = 1), their value
 * kept so the caller can choose how to censor (drop, impute, M3 likelihood).
 *
 * The same models give the likelihood of an observation (a Bayesian fit's objective),
 * as −2 log L: for y observed, ((y − f)/sd)² + log(2π sd²) with sd = a, b·f or
 * √(a² + b²f²) (exponential: on the log scale, log y − log f with sd = a, no Jacobian
 * term, as mapbayr); below the LLOQ, Beal's M3: −2 log Φ((LLOQ − f)/sd) (S. L. Beal,
 * "Ways to fit a PK model with some data below the quantification limit", J Pharmacokinet
 * Pharmacodyn 28 (2001) 481–504).
 */
import { normalLogCdf } from '../rng/normal';
import { purposeHash, RandomStream } from '../rng/stream';
import type { ModelDefinition } from './modelDefinition';
import type { ResidualErrorSpec } from './spec';

export class ResidualErrorModel {
  private readonly outputIndex: number[];
  private readonly specs: ResidualErrorSpec[];
  private readonly purposes: number[];
  /** Index into specs of each model output (-1: no residual error). */
  private readonly specOfOutput: Int32Array;
  private readonly stream = new RandomStream();

  constructor(
    readonly model: ModelDefinition,
    residualError: Record<string, ResidualErrorSpec> = {}
  ) {
    const entries = Object.entries(residualError);
    this.outputIndex = entries.map(([name]) => {
      const i = model.outputs.findIndex((o) => o.name === name);
      if (i < 0) throw new Error(`residualError.${name}: model ${model.name} has no output '${name}'`);
      return i;
    });
    this.specs = entries.map(([, s]) => s);
    this.purposes = entries.map(([name]) => purposeHash(`residual:${name}`));
    this.specOfOutput = new Int32Array(model.outputs.length).fill(-1);
    this.outputIndex.forEach((output, s) => (this.specOfOutput[output] = s));
  }

  /** Whether output `output` (index into model.outputs) has a residual error model. */
  outputHasError(output: number): boolean {
    return this.specOfOutput[output] >= 0;
  }

  /**
   * SD of the error of an observation of `output` predicted as `f`: a, b·|f| or
   * √(a² + b²f²); for exponential error a, the SD on the log scale.
   */
  sd(output: number, f: number): number {
    const spec = this.specFor(output);
    const a = spec.additive ?? 0;
    const b = spec.proportional ?? 0;
    switch (spec.type) {
      case 'additive':
      case 'exponential':
        return a;
      case 'proportional':
        return b * Math.abs(f);
      default:
        return Math.sqrt(a * a + b * b * f * f);
    }
  }

  /**
   * −2 log-likelihood of one observation of `output` predicted as `f`: the value `y`,
   * or for `blq` an observation below `lloq` (NaN: the residual model's own LLOQ), by M3.
   * A prediction under which the observation is impossible (an SD of 0, a prediction
   * ≤ 0 under exponential error, a value that is not finite) gives Infinity, never NaN,
   * so an optimiser steps away from it.
   */
  observationObjective(output: number, f: number, y: number, blq: boolean, lloq: number): number {
    const spec = this.specFor(output);
    const exponential = spec.type === 'exponential';
    const sd = this.sd(output, f);
    let c: number;
    if (blq) {
      const limit = Number.isNaN(lloq) ? (spec.lloq ?? Number.NaN) : lloq;
      if (Number.isNaN(limit)) {
        throw new Error(
          `output ${this.model.outputs[output].name}: an observation below the LLOQ needs an LLOQ (none given with it, none in residualError)`
        );
      }
      c = exponential
        ? f > 0
          ? -2 * normalLogCdf((Math.log(limit) - Math.log(f)) / sd)
          : 0
        : -2 * normalLogCdf((limit - f) / sd);
    } else {
      const r = exponential ? (f > 0 && y > 0 ? Math.log(y) - Math.log(f) : Infinity) : y - f;
      c = (r / sd) ** 2 + Math.log(2 * Math.PI * sd * sd);
    }
    // NaN arises only where the observation is impossible or degenerate (0/0, ∞ − ∞).
    return Number.isNaN(c) ? Infinity : c;
  }

  private specFor(output: number): ResidualErrorSpec {
    const s = this.specOfOutput[output];
    if (!(s >= 0)) {
      const name = this.model.outputs[output]?.name ?? `#${output}`;
      throw new Error(
        `output ${name}: no residual error model (have ${this.specs.map((_, i) => this.model.outputs[this.outputIndex[i]].name).join(', ') || 'none'})`
      );
    }
    return this.specs[s];
  }

  /**
   * Adds residual error in place to chunk predictions laid out as simulateChunk returns
   * them (nTwins × nOutputs × nTimes). Outputs without a residual model are untouched.
   * `blq`, if given (same layout), receives 1 where an observation is below its LLOQ.
   */
  apply(
    seed: number,
    twinIds: ArrayLike<number>,
    nTimes: number,
    values: Float64Array,
    blq?: Uint8Array,
    replicate = 0
  ): void {
    const nOut = this.model.outputs.length;
    const stream = this.stream;
    for (let r = 0; r < twinIds.length; r++) {
      for (let s = 0; s < this.specs.length; s++) {
        const spec = this.specs[s];
        const a = spec.additive ?? 0;
        const b = spec.proportional ?? 0;
        stream.reset(seed, this.purposes[s], twinIds[r], replicate);
        const base = (r * nOut + this.outputIndex[s]) * nTimes;
        for (let k = 0; k < nTimes; k++) {
          const f = values[base + k];
          const eps = stream.normal();
          let y: number;
          switch (spec.type) {
            case 'additive':
              y = f + a * eps;
              break;
            case 'proportional':
              y = f * (1 + b * eps);
              break;
            case 'combined':
              y = f + Math.sqrt(a * a + b * b * f * f) * eps;
              break;
            default:
              y = f * Math.exp(a * eps);
          }
          values[base + k] = y;
          if (blq && spec.lloq !== undefined) blq[base + k] = y < spec.lloq ? 1 : 0;
        }
      }
    }
  }
}
