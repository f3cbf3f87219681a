// Hessian by central second differences, for the Laplace approximation at a MAP estimate.
// Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed. (2006), §8.1 (eq. 8.21, with
// central instead of forward differences); Abramowitz & Stegun 25.3.23 and 25.3.26. The error is
// O(h²) + O(ε|f|/h²), smallest near h = ε^(1/4) ≈ 1.2e-4, scaled by max(|xᵢ|, 1). Checked against
// R's optimHess and the exact Hessian from deriv3 (tests/golden/optimize).

const STEP = Math.sqrt(Math.sqrt(Number.EPSILON));

/**
 * The n×n Hessian of `f` at `x` (row-major, symmetric): diagonal entries from
 * (f(x + hᵢ) − 2f(x) + f(x − hᵢ)) / hᵢ², off-diagonal ones from the four points x ± hᵢ ± hⱼ.
 * Costs 1 + 2n² evaluations (one fewer when `fx` = f(x) is given). `x` is not modified.
 */
export function numericHessian(f: (x: Float64Array) => number, x: Float64Array, fx?: number): Float64Array {
  const n = x.length;
  const hess = new Float64Array(n * n);
  const h = new Float64Array(n);
  const xt = Float64Array.from(x);
  const f0 = fx ?? f(xt);
  for (let i = 0; i < n; i++) h[i] = x[i] + STEP * Math.max(Math.abs(x[i]), 1) - x[i];
  for (let i = 0; i < n; i++) {
    xt[i] = x[i] + h[i];
    const fPlus = f(xt);
    xt[i] = x[i] - h[i];
    const fMinus = f(xt);
    xt[i] = x[i];
    hess[i * n + i] = (fPlus - 2 * f0 + fMinus) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const fpp = at(f, xt, x, i, h[i], j, h[j]);
      const fpm = at(f, xt, x, i, h[i], j, -h[j]);
      const fmp = at(f, xt, x, i, -h[i], j, h[j]);
      const fmm = at(f, xt, x, i, -h[i], j, -h[j]);
      const hij = (fpp - fpm - fmp + fmm) / (4 * h[i] * h[j]);
      hess[i * n + j] = hij;
      hess[j * n + i] = hij;
    }
  }
  return hess;
}

/** f at x with xᵢ += di and xⱼ += dj, using the work array xt (restored afterwards). */
function at(
  f: (x: Float64Array) => number,
  xt: Float64Array,
  x: Float64Array,
  i: number,
  di: number,
  j: number,
  dj: number
): number {
  xt[i] = x[i] + di;
  xt[j] = x[j] + dj;
  const v = f(xt);
  xt[i] = x[i];
  xt[j] = x[j];
  return v;
}
