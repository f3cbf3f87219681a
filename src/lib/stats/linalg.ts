// Small dense symmetric positive-definite solves (Cholesky) for Cox models and the log-rank test.
// Reference: Golub & Van Loan, Matrix Computations, 4th ed., §4.2.

/**
 * Cholesky factor L (row-major, lower triangle) of the p×p SPD matrix `a`, or null when a pivot is
 * not positive relative to `tol` × the largest diagonal entry.
 */
export function cholesky(a: Float64Array, p: number, tol = 1e-12): Float64Array | null {
  const L = new Float64Array(p * p);
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
  for (let j = 0; j < p; j++) {
    let s = a[j * p + j];
    for (let k = 0; k < j; k++) s -= L[j * p + k] * L[j * p + k];
    if (!(s > tol * maxDiag)) return null;
    const ljj = Math.sqrt(s);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let t = a[i * p + j];
      for (let k = 0; k < j; k++) t -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = t / ljj;
    }
  }
  return L;
}

/** Solves (L Lᵀ) x = b. */
export function choleskySolve(L: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * y[k];
    y[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * y[k];
    y[i] = s / L[i * p + i];
  }
  return y;
}

/**
 * Inverse of the SPD matrix whose Cholesky factor is L, as L⁻ᵀL⁻¹ (Golub & Van Loan §4.2.9):
 * a third of the work of p solves, and exactly symmetric.
 */
export function choleskyInverse(L: Float64Array, p: number): Float64Array {
  const li = new Float64Array(p * p); // L⁻¹, lower triangular, by forward substitution
  for (let j = 0; j < p; j++) {
    li[j * p + j] = 1 / L[j * p + j];
    for (let i = j + 1; i < p; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * p + k] * li[k * p + j];
      li[i * p + j] = s / L[i * p + i];
    }
  }
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < p; k++) s += li[k * p + i] * li[k * p + j];
      inv[i * p + j] = s;
      inv[j * p + i] = s;
    }
  return inv;
}
