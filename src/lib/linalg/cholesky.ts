/**
 * Cholesky factor L (lower triangular, row-major n×n) of a symmetric positive-definite
 * matrix A = L·Lᵀ. Returns null when A is not positive definite (a pivot ≤ tol).
 * Golub & Van Loan, Matrix Computations, 4th ed., Algorithm 4.2.1.
 */
export function cholesky(a: readonly (readonly number[])[], tol = 1e-12): Float64Array | null {
  const n = a.length;
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) lower[i * n + j] = a[i][j];
  const l = new Float64Array(n * n);
  return choleskyInto(lower, n, l, tol) ? l : null;
}

/**
 * The same factorisation without allocating, for hot loops: reads the lower triangle of
 * `a` (row-major n×n, the upper triangle is never read), writes L into `l` (its upper
 * triangle untouched) and returns false when A is not positive definite.
 */
export function choleskyInto(a: ArrayLike<number>, n: number, l: Float64Array, tol = 1e-12): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > tol)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return true;
}
