/**
 * Residual (observation) error on model predictions, per output:
 *   additive      y = f + a·ε
 *   proportional  y = f·(1 + b·ε)
 *   combined      y = f + √(a² + b²f²)·ε     (variances add; NONMEM/Monolix "combined2")
 *   exponential   y = f·e^{a·ε}
 * with ε standard normal from the stream (seed, 'residual:<output>', twin id, replicate),
 * drawn in time order. Observations below the LLOQ are flagged (blq = 1), their value
 * kept so the caller can choose how to censor (drop, impute, M3 likelihood).
 */
import { purposeHash, RandomStream } from '../rng/stream';
import type { ModelDefinition } from './modelDefinition';
import type { ResidualErrorSpec } from './spec';

export class ResidualErrorModel {
  private readonly outputIndex: number[];
  private readonly specs: ResidualErrorSpec[];
  private readonly purposes: number[];
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
