// Ordinary least squares with an intercept from a small dense design, on centred columns (which
// absorbs the intercept and keeps the cross-products well scaled): the Cholesky factor of the
// centred XᵀX (Golub & Van Loan, Matrix Computations, 4th ed., §4.2 and §5.3.2) gives the slopes,
// and the residuals are summed directly rather than as yᵀy − β̂ᵀXᵀy, which loses digits when the
// fit is close. Used for the imputation models and the per-visit ANCOVA, where p is at most a few
// tens and n a few thousand.
import { cholesky, choleskySolve } from './linalg';

export interface LeastSquaresFit {
  n: number;
  /** predictors, the intercept not counted */
  p: number;
  /** residual degrees of freedom, n − p − 1 */
  df: number;
  xMean: Float64Array;
  yMean: number;
  /** slopes β̂ */
  coef: Float64Array;
  /** intercept, ȳ − x̄ᵀβ̂ */
  intercept: number;
  /** lower Cholesky factor L (p × p) of the centred cross-products, Xcᵀ Xc = L Lᵀ */
  chol: Float64Array;
  /** residual sum of squares */
  rss: number;
}

// a column whose part not explained by the preceding ones is below this share of its centred
// sum of squares (1 − R² < 1e-10) counts as collinear
const COLLINEAR = 1e-10;

/**
 * Fits y = α + Xβ + e. `x` is row-major n × p without the intercept column. Returns null when a
 * column is constant or collinear with the others (XcᵀXc singular).
 */
export function leastSquares(x: Float64Array, y: Float64Array, n: number, p: number): LeastSquaresFit | null {
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    for (let j = 0; j < p; j++) xMean[j] += x[i * p + j];
  }
  yMean /= n;
  for (let j = 0; j < p; j++) xMean[j] /= n;
  const xtx = new Float64Array(p * p); // lower triangle only
  const xty = new Float64Array(p);
  const d = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) d[j] = x[i * p + j] - xMean[j];
    const e = y[i] - yMean;
    for (let j = 0; j < p; j++) {
      const dj = d[j];
      xty[j] += dj * e;
      for (let k = 0; k <= j; k++) xtx[j * p + k] += dj * d[k];
    }
  }
  // Cholesky of the correlation form D⁻¹XcᵀXcD⁻¹ (unit diagonal), so that a pivot is compared
  // with its column's own sum of squares whatever the columns' scales; then L = D·Lc.
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) scale[j] = Math.sqrt(xtx[j * p + j]);
  const corr = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    if (scale[j] === 0) return null;
    for (let k = 0; k <= j; k++) corr[j * p + k] = corr[k * p + j] = xtx[j * p + k] / (scale[j] * scale[k]);
  }
  const L = cholesky(corr, p, COLLINEAR);
  if (L === null) return null;
  for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) L[j * p + k] *= scale[j];
  const coef = choleskySolve(L, p, xty);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let r = y[i] - yMean;
    for (let j = 0; j < p; j++) r -= coef[j] * (x[i * p + j] - xMean[j]);
    rss += r * r;
  }
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= coef[j] * xMean[j];
  return { n, p, df: n - p - 1, xMean, yMean, coef, intercept, chol: L, rss };
}
