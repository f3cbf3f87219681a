// Cox proportional-hazards regression by Newton–Raphson on the partial likelihood with Efron or
// Breslow handling of tied event times, as R survival::coxph: coefficients, hazard ratios, SEs,
// Wald p-values, and the likelihood-ratio, Wald and score (log-rank) global tests.
// Reference: Cox (1972), JRSS B 34:187–220; Efron (1977), JASA 72:557–565;
// Therneau & Grambsch (2000), Modeling Survival Data, ch. 3.
import { StatsInputError } from './errors';
import { chiSquareSurvival, normalQuantile, normalSurvival } from './distributions';
import { cholesky, choleskyInverse, choleskySolve } from './linalg';
import { sortSurvival } from './survivalInput';
import { assertConfLevel, assertSameLength } from './validate';

export interface CoxInput {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored */
  status: ArrayLike<number>;
  /** one array per covariate, each of the same length as time */
  covariates: ReadonlyArray<ArrayLike<number>>;
  names?: ReadonlyArray<string>;
}

export interface CoxCoefficient {
  name: string;
  coef: number;
  hazardRatio: number;
  stdErr: number;
  z: number;
  pValue: number;
  hrLower: number;
  hrUpper: number;
}

export interface ChiSquareStatistic {
  statistic: number;
  df: number;
  pValue: number;
}

export interface CoxResult {
  coefficients: CoxCoefficient[];
  /** covariance matrix of the coefficients, row-major p×p */
  variance: number[][];
  logLikNull: number;
  logLik: number;
  likelihoodRatioTest: ChiSquareStatistic;
  waldTest: ChiSquareStatistic;
  /** score test at β = 0 (the log-rank test for a single binary covariate with Breslow ties) */
  scoreTest: ChiSquareStatistic;
  iterations: number;
  n: number;
  events: number;
  ties: 'efron' | 'breslow';
  confLevel: number;
}

interface Fit {
  loglik: number;
  u: Float64Array;
  imat: Float64Array;
}

/** Fits a Cox model; throws when the likelihood has no finite maximum (e.g. no events in a group). */
export function coxPh(
  input: CoxInput,
  options: { ties?: 'efron' | 'breslow'; confLevel?: number } = {}
): CoxResult {
  const ties = options.ties ?? 'efron';
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const { time, status } = input;
  const order = sortSurvival(time, status);
  const n = order.length;
  const p = input.covariates.length;
  if (p < 1) throw new StatsInputError('coxPh needs at least one covariate');
  const names = input.names ?? input.covariates.map((_, j) => `x${j + 1}`);
  if (names.length !== p) throw new StatsInputError(`coxPh: ${names.length} names for ${p} covariates`);
  // centred covariates in time order, row-major n×p
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = input.covariates[j];
    assertSameLength(c, n, names[j], 'time');
    let mean = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]))
        throw new StatsInputError(`${names[j]}[${i}] is not a finite number (${c[i]})`);
      mean += c[i];
    }
    mean /= n;
    for (let r = 0; r < n; r++) X[r * p + j] = c[order[r]] - mean;
  }
  const t = new Float64Array(n);
  const d = new Uint8Array(n);
  let events = 0;
  for (let r = 0; r < n; r++) {
    t[r] = time[order[r]];
    d[r] = status[order[r]];
    events += d[r];
  }
  if (events === 0) throw new StatsInputError('coxPh: there are no events');

  const efron = ties === 'efron';
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const d1 = new Float64Array(p);
  const d2 = new Float64Array(p * p);
  const a1 = new Float64Array(p);
  const fit = (beta: Float64Array): Fit => {
    const u = new Float64Array(p);
    const imat = new Float64Array(p * p);
    let loglik = 0;
    let s0 = 0;
    s1.fill(0);
    s2.fill(0);
    let r = n - 1;
    while (r >= 0) {
      const tr = t[r];
      let dd = 0;
      let d0 = 0;
      d1.fill(0);
      d2.fill(0);
      // everyone with this time joins the risk set; deaths also go into the tied-death sums
      while (r >= 0 && t[r] === tr) {
        let eta = 0;
        for (let j = 0; j < p; j++) eta += X[r * p + j] * beta[j];
        const w = Math.exp(eta);
        s0 += w;
        for (let j = 0; j < p; j++) {
          const xj = X[r * p + j];
          s1[j] += w * xj;
          for (let l = 0; l <= j; l++) s2[j * p + l] += w * xj * X[r * p + l];
        }
        if (d[r] === 1) {
          dd++;
          loglik += eta;
          d0 += w;
          for (let j = 0; j < p; j++) {
            const xj = X[r * p + j];
            u[j] += xj;
            d1[j] += w * xj;
            for (let l = 0; l <= j; l++) d2[j * p + l] += w * xj * X[r * p + l];
          }
        }
        r--;
      }
      for (let k = 0; k < dd; k++) {
        const f = efron ? k / dd : 0;
        const a0 = s0 - f * d0;
        loglik -= Math.log(a0);
        for (let j = 0; j < p; j++) {
          a1[j] = (s1[j] - f * d1[j]) / a0;
          u[j] -= a1[j];
        }
        for (let j = 0; j < p; j++) {
          for (let l = 0; l <= j; l++)
            imat[j * p + l] += (s2[j * p + l] - f * d2[j * p + l]) / a0 - a1[j] * a1[l];
        }
      }
    }
    for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) imat[l * p + j] = imat[j * p + l];
    return { loglik, u, imat };
  };

  let beta = new Float64Array(p);
  const f0 = fit(beta);
  const L0 = cholesky(f0.imat, p);
  if (L0 === null)
    throw new StatsInputError(
      'coxPh: the information matrix is singular (constant or collinear covariates?)'
    );
  const score0 = choleskySolve(L0, p, f0.u);
  let scoreStat = 0;
  for (let j = 0; j < p; j++) scoreStat += score0[j] * f0.u[j];

  let cur = f0;
  let L = L0;
  let iterations = 0;
  let converged = false;
  const maxIter = 100;
  while (iterations < maxIter) {
    iterations++;
    const step = choleskySolve(L, p, cur.u);
    const next = new Float64Array(p);
    for (let j = 0; j < p; j++) next[j] = beta[j] + step[j];
    let nf = fit(next);
    // step halving while the likelihood goes down (as coxph)
    let halvings = 0;
    while (!(nf.loglik >= cur.loglik - 1e-12 * Math.abs(cur.loglik)) && halvings < 60) {
      for (let j = 0; j < p; j++) next[j] = (beta[j] + next[j]) / 2;
      nf = fit(next);
      halvings++;
    }
    let maxStep = 0;
    for (let j = 0; j < p; j++)
      maxStep = Math.max(maxStep, Math.abs(next[j] - beta[j]) / (1 + Math.abs(beta[j])));
    const change = Math.abs(nf.loglik - cur.loglik);
    beta = next;
    cur = nf;
    const Ln = cholesky(cur.imat, p);
    if (Ln === null) break;
    L = Ln;
    if (change <= 1e-13 * Math.abs(cur.loglik) + 1e-300 && maxStep < 1e-9) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    throw new StatsInputError(
      'coxPh: the partial likelihood has no finite maximum (an infinite hazard ratio, e.g. no events in one group)'
    );
  }
  const V = choleskyInverse(L, p);
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const coefficients: CoxCoefficient[] = [];
  let wald = 0;
  for (let j = 0; j < p; j++) {
    const se = Math.sqrt(V[j * p + j]);
    const zj = beta[j] / se;
    coefficients.push({
      name: names[j],
      coef: beta[j],
      hazardRatio: Math.exp(beta[j]),
      stdErr: se,
      z: zj,
      pValue: 2 * normalSurvival(Math.abs(zj)),
      hrLower: Math.exp(beta[j] - z * se),
      hrUpper: Math.exp(beta[j] + z * se)
    });
    for (let l = 0; l < p; l++) wald += beta[j] * cur.imat[j * p + l] * beta[l];
  }
  const lr = 2 * (cur.loglik - f0.loglik);
  const variance = Array.from({ length: p }, (_, i) => Array.from(V.subarray(i * p, (i + 1) * p)));
  return {
    coefficients,
    variance,
    logLikNull: f0.loglik,
    logLik: cur.loglik,
    likelihoodRatioTest: { statistic: lr, df: p, pValue: chiSquareSurvival(lr, p) },
    waldTest: { statistic: wald, df: p, pValue: chiSquareSurvival(wald, p) },
    scoreTest: { statistic: scoreStat, df: p, pValue: chiSquareSurvival(scoreStat, p) },
    iterations,
    n,
    events,
    ties,
    confLevel
  };
}
