// One multiple-imputation draw of repeated measures under missing at random (MAR), by sequential
// regression over the visits in time order: at visit v the outcome is regressed on [baseline,]
// the outcomes of visits 1 … v − 1 (and the arm, when the arms share one model) over the subjects
// observed at v, the regression's parameters are drawn from their posterior
// (drawNormalRegression: σ*² = RSS/χ², β* ~ N(β̂, σ*²(XᵀX)⁻¹), as R mice's "norm" method) and each
// missing value at v is drawn from the drawn regression. The model is fitted per arm by default
// (each arm its own means and covariance, as Carpenter, Roger & Kenward 2013 impute) or once with
// the arm as a covariate. For monotone missingness (dropout) this is the factored likelihood of
// Little & Rubin (2019, Statistical Analysis with Missing Data, 3rd ed., §7.4) and the draws are
// proper; an intermittent missing value is imputed in the same sequence and, once imputed, serves
// as a predictor for later visits (one pass of chained equations in visit order: mice with
// visitSequence in time order and maxit = 1). Observed values are never changed.
import type { RandomStream } from '../engine/rng';
import { drawNormalRegression } from './drawNormalRegression';
import { StatsInputError } from './errors';
import { leastSquares } from './leastSquares';
import type { RepeatedMeasures } from './repeatedMeasures';

export type ImputationModel = 'by-arm' | 'arm-covariate';

export const IMPUTATION_MODELS: readonly ImputationModel[] = ['by-arm', 'arm-covariate'];

/**
 * One arm's drawn sequential model: y_v = intercept[v] + baseline[v]·b + Σ_{j<v} previous[v·V + j]·y_j
 * + N(0, sigma[v]²). It defines the arm's multivariate normal distribution of the visits given
 * the baseline, as reference-based imputation needs.
 */
export interface SequentialModel {
  intercept: Float64Array;
  /** 0 when the data have no baseline */
  baseline: Float64Array;
  /** V × V, strictly lower triangular */
  previous: Float64Array;
  sigma: Float64Array;
}

export interface MarImputation {
  /** the completed outcomes, subject-major like `data.y` */
  y: Float64Array;
  /** the drawn model of each arm, in `data.arms` order */
  models: SequentialModel[];
}

/** Draws one MAR imputation from `stream`; see the file comment. */
export function imputeMar(
  data: RepeatedMeasures,
  stream: RandomStream,
  model: ImputationModel = 'by-arm'
): MarImputation {
  if (!IMPUTATION_MODELS.includes(model)) {
    throw new StatsInputError(`imputation model "${model}" is not one of ${IMPUTATION_MODELS.join(', ')}`);
  }
  const { nSubjects: S, nVisits: V, arms, baseline } = data;
  const A = arms.length;
  const observed = data.y;
  const y = Float64Array.from(observed);
  const models: SequentialModel[] = arms.map(() => ({
    intercept: new Float64Array(V),
    baseline: new Float64Array(V),
    previous: new Float64Array(V * V),
    sigma: new Float64Array(V)
  }));
  // the subjects of each group of the model: one per arm, or everyone
  const groups: Int32Array[] = [];
  if (model === 'by-arm') {
    for (let a = 0; a < A; a++) {
      const ids: number[] = [];
      for (let s = 0; s < S; s++) if (data.arm[s] === a) ids.push(s);
      groups.push(Int32Array.from(ids));
    }
  } else {
    groups.push(Int32Array.from({ length: S }, (_, s) => s));
  }
  const armTerms = model === 'by-arm' ? 0 : A - 1;
  const baseTerm = baseline ? 1 : 0;
  const maxP = armTerms + baseTerm + V - 1;
  const x = new Float64Array(S * Math.max(maxP, 1));
  const yv = new Float64Array(S);
  const slopes = new Float64Array(Math.max(maxP, 1));
  const nObs = new Int32Array(A);
  for (let v = 0; v < V; v++) {
    nObs.fill(0);
    for (let s = 0; s < S; s++) if (!Number.isNaN(observed[s * V + v])) nObs[data.arm[s]]++;
    for (let a = 0; a < A; a++) {
      if (nObs[a] === 0) {
        throw new StatsInputError(
          `visit "${data.visits[v]}" has no observed values in arm "${arms[a]}" to impute from`
        );
      }
    }
    const p = armTerms + baseTerm + v;
    for (let g = 0; g < groups.length; g++) {
      const ids = groups[g];
      const where = model === 'by-arm' ? ` in arm "${arms[g]}"` : '';
      // design over the subjects observed at v: [arm dummies,] [baseline,] y_1 … y_{v−1}
      let n = 0;
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i];
        const value = observed[s * V + v];
        if (Number.isNaN(value)) continue;
        writeRow(x, n * p, s, v);
        yv[n++] = value;
      }
      if (n - p - 1 < 1) {
        throw new StatsInputError(
          `visit "${data.visits[v]}"${where} has ${n} observed values; its imputation model has ${p + 1} coefficients and needs at least ${p + 2}`
        );
      }
      const fit = leastSquares(x, yv, n, p);
      if (fit === null) {
        throw new StatsInputError(
          `at visit "${data.visits[v]}"${where} the imputation model's predictors (${predictorNames(v).join(', ')}) are collinear among the observed subjects`
        );
      }
      const { intercept, sigma } = drawNormalRegression(fit, stream, slopes);
      const targets = model === 'by-arm' ? [g] : arms.map((_, a) => a);
      for (const a of targets) {
        const m = models[a];
        m.intercept[v] = intercept + (a > 0 && armTerms > 0 ? slopes[a - 1] : 0);
        m.baseline[v] = baseTerm ? slopes[armTerms] : 0;
        for (let j = 0; j < v; j++) m.previous[v * V + j] = slopes[armTerms + baseTerm + j];
        m.sigma[v] = sigma;
      }
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i];
        if (!Number.isNaN(observed[s * V + v])) continue;
        const m = models[data.arm[s]];
        let mean = m.intercept[v] + (baseline ? m.baseline[v] * baseline[s] : 0);
        for (let j = 0; j < v; j++) mean += m.previous[v * V + j] * y[s * V + j];
        y[s * V + v] = mean + m.sigma[v] * stream.normal();
      }
    }
  }
  return { y, models };

  function writeRow(out: Float64Array, o: number, s: number, v: number): void {
    for (let a = 1; a <= armTerms; a++) out[o + a - 1] = data.arm[s] === a ? 1 : 0;
    if (baseline) out[o + armTerms] = baseline[s];
    const off = o + armTerms + baseTerm;
    for (let j = 0; j < v; j++) out[off + j] = y[s * V + j];
  }

  function predictorNames(v: number): string[] {
    const names = model === 'by-arm' ? [] : arms.slice(1).map((a) => `arm ${a}`);
    if (baseline) names.push('baseline');
    for (let j = 0; j < v; j++) names.push(`visit ${data.visits[j]}`);
    return names;
  }
}
