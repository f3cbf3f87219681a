// The analysis of one visit of (possibly imputed) repeated measures: one linear model with every
// arm, y ~ arm [+ baseline], on the subjects with a value at the visit, each active arm's
// coefficient (arm − control) with its t test and CI; as R
//   summary(lm(y ~ arm + baseline)), confint()   (treatment contrasts, control first)
// (checked in tests/golden/mi). The arms share the residual variance and the baseline slope.
import { studentTQuantile, studentTTwoSided } from './distributions';
import { StatsInputError } from './errors';
import { leastSquares } from './leastSquares';
import type { RepeatedMeasures } from './repeatedMeasures';

export interface VisitArmEffect {
  arm: string;
  estimate: number;
  stdErr: number;
  df: number;
  statistic: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

export interface AncovaAtVisitResult {
  visit: string;
  /** subjects analysed (those with a value at the visit) */
  n: number;
  /** subjects analysed per arm, in `data.arms` order */
  nByArm: number[];
  /** residual degrees of freedom */
  df: number;
  residualSd: number;
  confLevel: number;
  /** each active arm vs control, in `data.arms` order */
  effects: VisitArmEffect[];
}

/**
 * Fits y[, visit] ~ arm [+ baseline] over the subjects whose value in `y` (subject-major, the
 * shape of `data.y`) is not NaN at `visit` (an index into `data.visits`).
 */
export function ancovaAtVisit(
  data: RepeatedMeasures,
  y: Float64Array,
  visit: number,
  confLevel = 0.95
): AncovaAtVisitResult {
  const { nSubjects: S, nVisits: V, arms, baseline } = data;
  const A = arms.length;
  const p = A - 1 + (baseline ? 1 : 0);
  const nByArm = new Array<number>(A).fill(0);
  let n = 0;
  for (let s = 0; s < S; s++) {
    if (!Number.isNaN(y[s * V + visit])) {
      nByArm[data.arm[s]]++;
      n++;
    }
  }
  const label = data.visits[visit];
  for (let a = 0; a < A; a++) {
    if (nByArm[a] === 0)
      throw new StatsInputError(`visit "${label}" has no values in arm "${arms[a]}" to analyse`);
  }
  if (n - p - 1 < 1) {
    throw new StatsInputError(
      `visit "${label}" has ${n} subjects with a value; the model needs at least ${p + 2}`
    );
  }
  const x = new Float64Array(n * p);
  const yv = new Float64Array(n);
  let i = 0;
  for (let s = 0; s < S; s++) {
    const value = y[s * V + visit];
    if (Number.isNaN(value)) continue;
    const a = data.arm[s];
    if (a > 0) x[i * p + a - 1] = 1;
    if (baseline) x[i * p + A - 1] = baseline[s];
    yv[i++] = value;
  }
  const fit = leastSquares(x, yv, n, p);
  if (fit === null) {
    throw new StatsInputError(
      `at visit "${label}" the arms${baseline ? ' and the baseline' : ''} are collinear (is the baseline constant within the subjects analysed?)`
    );
  }
  const sigma2 = fit.rss / fit.df;
  if (!(sigma2 > 0))
    throw new StatsInputError(
      `at visit "${label}" the model fits every value exactly (zero residual variance)`
    );
  const q = studentTQuantile(1 - (1 - confLevel) / 2, fit.df);
  const effects: VisitArmEffect[] = [];
  const u = new Float64Array(p);
  for (let a = 1; a < A; a++) {
    // [(XcᵀXc)⁻¹]_jj = ‖L⁻¹ e_j‖²
    const j = a - 1;
    u.fill(0);
    let norm2 = 0;
    for (let r = j; r < p; r++) {
      let t = r === j ? 1 : 0;
      for (let k = j; k < r; k++) t -= fit.chol[r * p + k] * u[k];
      u[r] = t / fit.chol[r * p + r];
      norm2 += u[r] * u[r];
    }
    const estimate = fit.coef[j];
    const stdErr = Math.sqrt(sigma2 * norm2);
    const statistic = estimate / stdErr;
    effects.push({
      arm: arms[a],
      estimate,
      stdErr,
      df: fit.df,
      statistic,
      pValue: studentTTwoSided(statistic, fit.df),
      ciLow: estimate - q * stdErr,
      ciHigh: estimate + q * stdErr
    });
  }
  return { visit: label, n, nByArm, df: fit.df, residualSd: Math.sqrt(sigma2), confLevel, effects };
}
