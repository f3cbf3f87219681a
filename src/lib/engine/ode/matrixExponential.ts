/**
 * e^{Aτ} of a small dense matrix (row-major n×n) for many τ, as the exponential
 * integrator of affine PD blocks needs at every quadrature node.
 *
 * A triangular A (turnover chains, effect compartments: what affine PD blocks mostly are)
 * with well-separated diagonal entries is diagonalised once, A = V·Λ·V⁻¹ with V unit
 * triangular, so each e^{Aτ} = V·e^{Λτ}·V⁻¹ costs n exps. Any other A (feedback between
 * states, equal rates as in a transit chain, complex eigenvalues) takes the Taylor series
 * with scaling and squaring: Aτ is scaled by 2^{-s} until its 1-norm is at most 1/2, summed
 * until the terms' bound ‖Aτ‖^k/k! is below 1e-18 (at most 18 terms), then squared s times.
 *
 * Reference: C. Moler, C. Van Loan, Nineteen dubious ways to compute the exponential of a
 * matrix, twenty-five years later, SIAM Review 45 (2003) 3–49 (methods 3 and 14).
 */
const TERMS = 18;
/** Largest |V_ij|·|V⁻¹_kl| accepted for the eigenvector path (digits it may cost: 3). */
const MAX_CONDITION = 1e3;

export class MatrixExponential {
  private readonly a: Float64Array;
  private readonly x: Float64Array;
  private readonly power: Float64Array;
  private readonly product: Float64Array;
  // Eigenvector path: V, V⁻¹, the eigenvalues, and whether A was upper triangular (then
  // the path works on Aᵀ and transposes the result).
  private readonly v: Float64Array;
  private readonly vInverse: Float64Array;
  private readonly lambda: Float64Array;
  private readonly scaled: Float64Array;
  private modal = false;
  private upper = false;

  constructor(readonly n: number) {
    const nn = n * n;
    this.a = new Float64Array(nn);
    this.x = new Float64Array(nn);
    this.power = new Float64Array(nn);
    this.product = new Float64Array(nn);
    this.v = new Float64Array(nn);
    this.vInverse = new Float64Array(nn);
    this.lambda = new Float64Array(n);
    this.scaled = new Float64Array(n);
  }

  /** Takes A (copied) and picks the path for it. */
  setMatrix(a: Float64Array): void {
    const n = this.n;
    this.a.set(a);
    let lower = true;
    let upper = true;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (j > i && a[i * n + j] !== 0) lower = false;
        if (j < i && a[i * n + j] !== 0) upper = false;
      }
    this.upper = upper && !lower;
    this.modal = (lower || upper) && this.diagonalise();
  }

  /** V and V⁻¹ of the lower triangular A (or Aᵀ); false when they are ill-conditioned. */
  private diagonalise(): boolean {
    const { n, v, vInverse, lambda } = this;
    const t = (i: number, j: number) => (this.upper ? this.a[j * n + i] : this.a[i * n + j]);
    for (let k = 0; k < n; k++) lambda[k] = t(k, k);
    v.fill(0);
    for (let k = 0; k < n; k++) {
      v[k * n + k] = 1;
      for (let i = k + 1; i < n; i++) {
        let s = 0;
        for (let l = k; l < i; l++) s += t(i, l) * v[l * n + k];
        const gap = lambda[k] - lambda[i];
        if (gap === 0) return false;
        v[i * n + k] = s / gap;
      }
    }
    // V is unit lower triangular: V⁻¹ by forward substitution, column by column.
    vInverse.fill(0);
    for (let k = 0; k < n; k++) {
      vInverse[k * n + k] = 1;
      for (let i = k + 1; i < n; i++) {
        let s = 0;
        for (let l = k; l < i; l++) s += v[i * n + l] * vInverse[l * n + k];
        vInverse[i * n + k] = -s;
      }
    }
    let big = 0;
    let bigInverse = 0;
    for (let i = 0; i < n * n; i++) {
      big = Math.max(big, Math.abs(v[i]));
      bigInverse = Math.max(bigInverse, Math.abs(vInverse[i]));
    }
    return Number.isFinite(big * bigInverse) && big * bigInverse <= MAX_CONDITION;
  }

  /** Writes e^{A·tau} into `out` (n×n, row-major). */
  compute(tau: number, out: Float64Array): void {
    if (this.modal) this.computeModal(tau, out);
    else this.computeTaylor(tau, out);
  }

  private computeModal(tau: number, out: Float64Array): void {
    const { n, v, vInverse, lambda, scaled } = this;
    for (let k = 0; k < n; k++) scaled[k] = Math.exp(lambda[k] * tau);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        // V and V⁻¹ are lower triangular: only k from j to i contributes.
        let s = 0;
        for (let k = j; k <= i; k++) s += v[i * n + k] * scaled[k] * vInverse[k * n + j];
        if (this.upper) out[j * n + i] = s;
        else out[i * n + j] = s;
      }
  }

  private computeTaylor(tau: number, out: Float64Array): void {
    const { n, a, x, power, product } = this;
    const nn = n * n;
    let norm = 0;
    for (let j = 0; j < n; j++) {
      let col = 0;
      for (let i = 0; i < n; i++) col += Math.abs(a[i * n + j] * tau);
      if (col > norm) norm = col;
    }
    let squarings = 0;
    let scale = tau;
    while (norm > 0.5) {
      norm /= 2;
      scale /= 2;
      squarings++;
    }
    for (let i = 0; i < nn; i++) x[i] = a[i] * scale;
    // out = I + X + X²/2! + …, the power kept as X^k/k!.
    for (let i = 0; i < nn; i++) out[i] = power[i] = 0;
    for (let i = 0; i < n; i++) out[i * n + i] = power[i * n + i] = 1;
    let bound = 1;
    for (let k = 1; k <= TERMS && bound > 1e-18; k++) {
      multiply(power, x, product, n);
      for (let i = 0; i < nn; i++) {
        power[i] = product[i] / k;
        out[i] += power[i];
      }
      bound *= norm / k;
    }
    for (let s = 0; s < squarings; s++) {
      multiply(out, out, product, n);
      out.set(product);
    }
  }
}

function multiply(a: Float64Array, b: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      out[i * n + j] = s;
    }
}
