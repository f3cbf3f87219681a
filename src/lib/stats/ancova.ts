// ANCOVA by least squares: outcome ~ treatment + baseline [+ covariates]; as R lm() with
// summary()/confint() for the treatment coefficient. Columns are centred (which absorbs the
// intercept) and the triangular QR factor of [X | y] is updated row by row with Givens rotations
// (Golub & Van Loan, Matrix Computations, 4th ed., §5.1.8 and §6.5), which avoids forming X'X;
// memory is O(p²) and each row is visited twice (means, then rotations).
import { StatsInputError } from './errors';
import { coefficientTest } from './coefficientTest';
import { assertConfLevel, assertSameLength } from './validate';

export interface AncovaInput {
  outcome: ArrayLike<number>;
  /** 1 = arm, 0 = control */
  treatment: ArrayLike<number>;
  baseline: ArrayLike<number>;
  covariates?: ReadonlyArray<ArrayLike<number>>;
}

export interface AncovaCoefficient {
  name: string;
  estimate: number;
  stdErr: number;
}

export interface AncovaResult {
  /** adjusted treatment effect (arm − control) */
  estimate: number;
  stdErr: number;
  ciLower: number;
  ciUpper: number;
  confLevel: number;
  statistic: number;
  /** residual degrees of freedom, n − p − 1 */
  df: number;
  pValue: number;
  n: number;
  residualSd: number;
  /** treatment, baseline, covariate1, …; the intercept is not reported */
  coefficients: AncovaCoefficient[];
}

/** Fits outcome ~ treatment + baseline + covariates and reports the treatment coefficient. */
export function ancova(input: AncovaInput, options: { confLevel?: number } = {}): AncovaResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const y = input.outcome;
  const n = y.length;
  // hot loops see only Float64Array (monomorphic element access); other inputs are copied once
  const toF64 = (c: ArrayLike<number>): Float64Array =>
    c instanceof Float64Array ? c : Float64Array.from(c);
  const raw: ArrayLike<number>[] = [input.treatment, input.baseline, ...(input.covariates ?? [])];
  const names = ['treatment', 'baseline', ...(input.covariates ?? []).map((_, i) => `covariate${i + 1}`)];
  raw.forEach((c, j) => assertSameLength(c, n, names[j], 'outcome'));
  const cols = [...raw, y].map(toF64);
  names.push('outcome');
  const k = cols.length - 1; // predictors
  const m = k + 1;
  const df = n - k - 1;
  if (df < 1) throw new StatsInputError(`ANCOVA with ${k} predictors needs at least ${k + 2} rows, got ${n}`);

  // pass 1: means (and checks)
  const mean = new Float64Array(m);
  let nArm = 0;
  const t = cols[0];
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    if (ti !== 0 && ti !== 1) throw new StatsInputError(`treatment[${i}] must be 0 or 1, got ${ti}`);
    nArm += ti;
  }
  if (nArm === 0 || nArm === n)
    throw new StatsInputError('treatment must contain both arm (1) and control (0) rows');
  for (let j = 0; j < m; j++) {
    const c = cols[j];
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    if (!Number.isFinite(s)) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(c[i]))
          throw new StatsInputError(`${names[j]}[${i}] is not a finite number (${c[i]})`);
      }
    }
    s /= n;
    let corr = 0;
    for (let i = 0; i < n; i++) corr += c[i] - s;
    mean[j] = s + corr / n;
  }

  // pass 2: Givens QR of the centred [X | y]
  const R = new Float64Array(m * m);
  const v = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) v[j] = cols[j][i] - mean[j];
    for (let j = 0; j < m; j++) {
      const vj = v[j];
      if (vj === 0) continue;
      const rjj = R[j * m + j];
      const rho = Math.sqrt(rjj * rjj + vj * vj);
      const cs = rjj / rho;
      const sn = vj / rho;
      R[j * m + j] = rho;
      for (let l = j + 1; l < m; l++) {
        const r = R[j * m + l];
        R[j * m + l] = cs * r + sn * v[l];
        v[l] = cs * v[l] - sn * r;
      }
    }
  }

  // rank check: each pivot against the norm of its centred column
  for (let j = 0; j < k; j++) {
    let norm2 = 0;
    for (let i = 0; i <= j; i++) norm2 += R[i * m + j] * R[i * m + j];
    if (!(Math.abs(R[j * m + j]) > 1e-10 * Math.sqrt(norm2))) {
      throw new StatsInputError(
        norm2 === 0 ? `${names[j]} is constant` : `${names[j]} is collinear with the preceding predictors`
      );
    }
  }

  // back-substitution for coefficients; inverse of the k×k triangle for the covariance
  const beta = new Float64Array(k);
  for (let j = k - 1; j >= 0; j--) {
    let s = R[j * m + k];
    for (let l = j + 1; l < k; l++) s -= R[j * m + l] * beta[l];
    beta[j] = s / R[j * m + j];
  }
  const Rinv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    Rinv[j * k + j] = 1 / R[j * m + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let l = i + 1; l <= j; l++) s += R[i * m + l] * Rinv[l * k + j];
      Rinv[i * k + j] = -s / R[i * m + i];
    }
  }
  const rss = R[k * m + k] * R[k * m + k];
  const sigma2 = rss / df;
  if (!(sigma2 > 0)) throw new StatsInputError('the model fits the outcome exactly (zero residual variance)');
  const coefficients: AncovaCoefficient[] = [];
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let l = j; l < k; l++) s += Rinv[j * k + l] * Rinv[j * k + l];
    coefficients.push({ name: names[j], estimate: beta[j], stdErr: Math.sqrt(sigma2 * s) });
  }
  const effect = coefficientTest(coefficients[0].estimate, coefficients[0].stdErr, df, confLevel);
  return {
    estimate: effect.estimate,
    stdErr: effect.stdErr,
    ciLower: effect.ciLow,
    ciUpper: effect.ciHigh,
    confLevel,
    statistic: effect.statistic,
    df,
    pValue: effect.pValue,
    n,
    residualSd: Math.sqrt(sigma2),
    coefficients
  };
}
