// A chi-square draw with df > 0 degrees of freedom, 2·Gamma(df/2), by Marsaglia & Tsang's
// squeeze method (2000, ACM TOMS 26:363, "A simple method for generating gamma variables"); for a
// shape below 1, Gamma(a) = Gamma(a + 1)·U^{1/a} (their §6). Draws come from the stream passed in.
import type { RandomStream } from '../engine/rng';

function randomGamma(stream: RandomStream, shape: number): number {
  if (shape < 1) return randomGamma(stream, shape + 1) * Math.pow(stream.uniformOpen(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = stream.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = stream.uniformOpen();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One draw from χ²(df). */
export function randomChiSquare(stream: RandomStream, df: number): number {
  if (!(df > 0 && df < Infinity))
    throw new RangeError(`chi-square df must be positive and finite, got ${df}`);
  return 2 * randomGamma(stream, df / 2);
}
