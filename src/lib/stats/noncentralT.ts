// Noncentral t distribution function, as R's pt(t, df, ncp): Lenth (1989) AS 243 with the
// refinements of R's nmath/pnt.c (same series, tolerances and large-df normal approximation),
// so that power.t.test results can be reproduced.
import { normalCdf } from './distributions';
import { betaIncomplete, logGamma } from './special';

const M_SQRT_2dPI = 0.797884560802865355879892119869; // sqrt(2/pi)
const M_LN_SQRT_PI = 0.572364942924700087071713675677; // log(sqrt(pi))

/** P(T <= t) (or P(T > t) with lowerTail = false) for the noncentral t with `df` and `ncp`. */
export function noncentralTCdf(t: number, df: number, ncp: number, lowerTail = true): number {
  if (!(df > 0) || Number.isNaN(t) || Number.isNaN(ncp)) return NaN;
  if (!Number.isFinite(t)) return t < 0 === lowerTail ? 0 : 1;
  let negdel: boolean;
  let tt: number;
  let del: number;
  if (t >= 0) {
    negdel = false;
    tt = t;
    del = ncp;
  } else {
    if (ncp > 40 && !lowerTail) return 1;
    if (ncp > 40) return 0;
    negdel = true;
    tt = -t;
    del = -ncp;
  }
  if (df > 4e5 || del * del > 2 * Math.LN2 * 1021) {
    // Abramowitz & Stegun 26.7.10
    const s = 1 / (4 * df);
    const z = (tt * (1 - s) - del) / Math.sqrt(1 + tt * tt * 2 * s);
    const lower = normalCdf(z);
    return lowerTail !== negdel ? lower : normalCdf(-z);
  }
  let x = t * t;
  const rxb0 = df / (x + df);
  x = x / (x + df);
  let tnc: number;
  if (x > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    if (p === 0) return lowerTail !== negdel ? 0 : 1; // underflow, as R
    let q = M_SQRT_2dPI * p * del;
    let s = 0.5 - p;
    if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    const rxb = Math.pow(rxb0, b);
    const albeta = M_LN_SQRT_PI + logGamma(b) - logGamma(0.5 + b);
    let xodd = betaIncomplete(x, a, b, rxb0).lower;
    let godd = 2 * rxb * Math.exp(a * Math.log(x) - albeta);
    tnc = b * x;
    let xeven = tnc < Number.EPSILON ? tnc : 1 - rxb;
    let geven = tnc * rxb;
    tnc = p * xodd + q * xeven;
    for (let it = 1; it <= 1000; it++) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= (x * (a + b - 1)) / a;
      geven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) break;
      if (s <= 0 && it > 1) break;
      const errbd = 2 * s * (xodd - godd);
      if (Math.abs(errbd) < 1e-12) break;
    }
  } else {
    tnc = 0;
  }
  tnc += normalCdf(-del);
  const lower = lowerTail !== negdel;
  const v = Math.min(tnc, 1);
  return lower ? v : 1 - v;
}
