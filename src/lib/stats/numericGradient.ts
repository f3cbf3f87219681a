// Gradient by finite differences: central differences, one-sided beside a bound.
// Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed. (2006), §8.1: the central
// difference (f(x + h) − f(x − h)) / 2h has error O(h²) + O(ε/h), smallest near h = ε^(1/3); the
// forward difference has O(h) + O(ε/h), smallest near h = √ε. Both steps are scaled by max(|xᵢ|, 1)
// so that a parameter of size 1000 and one of size 0.001 are differenced alike.

const CENTRAL_STEP = Math.cbrt(Number.EPSILON); // ≈ 6.1e-6
const ONE_SIDED_STEP = Math.sqrt(Number.EPSILON); // ≈ 1.5e-8

/**
 * Writes ∂f/∂xᵢ at `x` into `g` (returned). Central differences, except beside a bound of the box
 * [lower, upper], where the difference is taken inward so that f is never asked outside it (a
 * parameter fixed by lower = upper gets 0). `fx` = f(x) is needed only for one-sided differences
 * and is computed when not given. `x` is perturbed in place and restored exactly (no allocation),
 * so `f` must not keep a reference to it.
 */
export function numericGradient(
  f: (x: Float64Array) => number,
  x: Float64Array,
  g: Float64Array = new Float64Array(x.length),
  fx?: number,
  lower?: Float64Array,
  upper?: Float64Array
): Float64Array {
  let f0 = fx;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const lo = lower ? lower[i] : -Infinity;
    const hi = upper ? upper[i] : Infinity;
    const scale = Math.max(Math.abs(xi), 1);
    // h is made exactly representable as the difference of two doubles (N&W §8.1)
    const hc = xi + CENTRAL_STEP * scale - xi;
    try {
      if (xi - hc >= lo && xi + hc <= hi) {
        x[i] = xi + hc;
        const fPlus = f(x);
        x[i] = xi - hc;
        const fMinus = f(x);
        g[i] = (fPlus - fMinus) / (2 * hc);
        continue;
      }
      if (lo === hi) {
        g[i] = 0;
        continue;
      }
      // one-sided, toward the side with room (the step shrinks to fit a box narrower than it)
      const room = hi - xi >= xi - lo ? hi - xi : lo - xi;
      const want = ONE_SIDED_STEP * scale;
      const step = Math.abs(room) < want ? room : Math.sign(room) * want;
      const xs = xi + step;
      const h = xs - xi;
      if (f0 === undefined) {
        x[i] = xi;
        f0 = f(x);
      }
      x[i] = xs;
      g[i] = (f(x) - f0) / h;
    } finally {
      x[i] = xi;
    }
  }
  return g;
}
