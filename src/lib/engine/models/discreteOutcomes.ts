/**
 * Binary and count outcomes derived from continuous model outputs.
 * - threshold: 1 where the value is at or above (or, with `below`, at or below) a cut-off,
 *   e.g. responder = tumour shrinkage ≥ 30 %.
 * - Poisson counts between consecutive output times with a model-driven rate λ(t):
 *   N(t_{k−1}, t_k] ~ Poisson(∫ λ dt), the integral by the trapezoid rule on the output
 *   grid; draws by sequential inversion (L. Devroye, Non-Uniform Random Variate
 *   Generation, Springer 1986, section X.3), splitting large means so e^{−μ} never
 *   underflows. Streams keyed (seed, 'count:<name>', twin id, replicate).
 */
import { purposeHash, RandomStream } from '../rng/stream';

export function thresholdOutcome(values: Float64Array, threshold: number, below = false): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = (below ? values[i] <= threshold : values[i] >= threshold) ? 1 : 0;
  return out;
}

/** One Poisson(mean) draw by inversion. */
export function poissonDraw(stream: RandomStream, mean: number): number {
  if (!(mean >= 0)) throw new RangeError(`Poisson mean must be ≥ 0, got ${mean}`);
  let total = 0;
  let remaining = mean;
  while (remaining > 0) {
    const mu = Math.min(remaining, 500);
    remaining -= mu;
    let p = Math.exp(-mu);
    let cdf = p;
    let k = 0;
    const u = stream.uniform();
    while (u > cdf && k < 100_000) {
      k++;
      p *= mu / k;
      cdf += p;
      if (p === 0) break;
    }
    total += k;
  }
  return total;
}

/**
 * Counts per interval for a chunk: `rates` laid out nTwins × nTimes (one output's series
 * per twin), result the same layout with 0 at the first time.
 */
export function poissonCounts(
  name: string,
  seed: number,
  twinIds: ArrayLike<number>,
  times: Float64Array,
  rates: Float64Array,
  replicate = 0
): Float64Array {
  const stream = new RandomStream();
  const purpose = purposeHash(`count:${name}`);
  const nT = times.length;
  const out = new Float64Array(twinIds.length * nT);
  for (let r = 0; r < twinIds.length; r++) {
    stream.reset(seed, purpose, twinIds[r], replicate);
    for (let k = 1; k < nT; k++) {
      const i = r * nT + k;
      const mean = 0.5 * (Math.max(rates[i - 1], 0) + Math.max(rates[i], 0)) * (times[k] - times[k - 1]);
      out[i] = poissonDraw(stream, mean);
    }
  }
  return out;
}
