import { normalCdf, normalQuantileFast } from '../rng';
import type { Distribution } from '../../spec/cohort-schema';

/**
 * A covariate's marginal distribution as a map from its latent standard-normal value z
 * (the Gaussian copula coordinate) to the covariate's value: x = F⁻¹(Φ(z)).
 * Stored as plain numbers with an integer kind, so the hot loop has one monomorphic
 * function (marginalValue) instead of a polymorphic method call per twin.
 */
export const MarginalKind = {
  Normal: 0,
  LogNormal: 1,
  TruncatedNormal: 2,
  Uniform: 3,
  Empirical: 4
} as const;
export type MarginalKind = (typeof MarginalKind)[keyof typeof MarginalKind];

export interface Marginal {
  kind: MarginalKind;
  a: number;
  b: number;
  c: number;
  d: number;
  /** Truncation bounds (±Infinity when open). */
  lower: number;
  upper: number;
  /** Empirical tables: probabilities and values. */
  ps: Float64Array;
  xs: Float64Array;
}

const EMPTY = new Float64Array(0);

export function toMarginal(dist: Distribution): Marginal {
  const m: Marginal = {
    kind: MarginalKind.Normal,
    a: 0,
    b: 0,
    c: 0,
    d: 0,
    lower: -Infinity,
    upper: Infinity,
    ps: EMPTY,
    xs: EMPTY
  };
  switch (dist.kind) {
    case 'normal':
      m.a = dist.mean;
      m.b = dist.sd;
      break;
    case 'lognormal': {
      m.kind = MarginalKind.LogNormal;
      m.a = dist.meanlog ?? Math.log(dist.median ?? 1);
      // cv of a log-normal: sqrt(exp(s²) − 1)  ⇒  s = sqrt(log(1 + cv²))
      m.b = dist.sdlog ?? Math.sqrt(Math.log(1 + (dist.cv ?? 0) ** 2));
      break;
    }
    case 'truncnormal': {
      m.kind = MarginalKind.TruncatedNormal;
      m.a = dist.mean;
      m.b = dist.sd;
      m.c = dist.lower === undefined ? 0 : normalCdf((dist.lower - dist.mean) / dist.sd);
      m.d = dist.upper === undefined ? 1 : normalCdf((dist.upper - dist.mean) / dist.sd);
      m.lower = dist.lower ?? -Infinity;
      m.upper = dist.upper ?? Infinity;
      break;
    }
    case 'uniform':
      m.kind = MarginalKind.Uniform;
      m.a = dist.min;
      m.b = dist.max - dist.min;
      break;
    case 'empirical':
      m.kind = MarginalKind.Empirical;
      m.ps = Float64Array.from(dist.quantiles.map((q) => q[0]));
      m.xs = Float64Array.from(dist.quantiles.map((q) => q[1]));
      break;
  }
  return m;
}

/** Value of the covariate for latent coordinate z. */
export function marginalValue(m: Marginal, z: number): number {
  switch (m.kind) {
    case MarginalKind.Normal:
      return m.a + m.b * z;
    case MarginalKind.LogNormal:
      return Math.exp(m.a + m.b * z);
    case MarginalKind.TruncatedNormal: {
      // Inverse-CDF sampling inside [Φ(lower), Φ(upper)]; clamp so rounding in Φ⁻¹ can
      // never push a value across a bound.
      const p = m.c + normalCdf(z) * (m.d - m.c);
      const x = m.a + m.b * normalQuantileFast(p);
      return x < m.lower ? m.lower : x > m.upper ? m.upper : x;
    }
    case MarginalKind.Uniform:
      return m.a + m.b * normalCdf(z);
    case MarginalKind.Empirical:
      return empiricalQuantile(m.ps, m.xs, normalCdf(z));
  }
}

function empiricalQuantile(ps: Float64Array, xs: Float64Array, u: number): number {
  let lo = 0;
  let hi = ps.length - 1;
  if (u <= ps[0]) return xs[0];
  if (u >= ps[hi]) return xs[hi];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ps[mid] <= u) lo = mid;
    else hi = mid;
  }
  const t = (u - ps[lo]) / (ps[hi] - ps[lo]);
  return xs[lo] + t * (xs[hi] - xs[lo]);
}
