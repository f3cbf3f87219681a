/**
 * Draws of a patient's etas from their posterior, for prediction intervals and the
 * probability of reaching a target:
 * - `laplaceDraws`: from the Laplace approximation N(η̂, Σ) — fast, exact for a model
 *   linear in η with normal errors;
 * - `sirDraws`: sampling importance resampling (Rubin DB, J Am Stat Assoc 1987;82:543–546;
 *   Dosne AG et al., J Pharmacokinet Pharmacodyn 2016;43:583–596 for its use on
 *   pharmacometric models): proposals from a multivariate t (ν = 5, heavier tails than the
 *   normal so the posterior's tails are reached) centred at η̂ with the Laplace scale,
 *   weighted by posterior/proposal density and resampled. It needs no normality, and the
 *   distance between its moments and the Laplace ones is the check of the approximation.
 * Draws are keyed by (seed, purpose, key): the same patient gets the same draws whatever
 * the worker or the order in which patients are fitted.
 */
import { purposeHash, RandomStream } from '../rng/stream';
import { cholesky } from '../../stats/linalg';
import type { PatientFit } from './fit-patient';
import type { PatientObjective } from './patient-objective';

const LAPLACE_PURPOSE = purposeHash('posterior:laplace');
const SIR_PURPOSE = purposeHash('posterior:sir');
/** Degrees of freedom of the SIR proposal. */
const PROPOSAL_DF = 5;

export interface PosteriorDraws {
  method: 'laplace' | 'sir';
  /** draws × nEta, row-major. */
  etas: Float64Array;
  draws: number;
  nEta: number;
  /** SIR only: proposals made and Kish's effective sample size of their weights. */
  proposals?: number;
  effectiveSampleSize?: number;
}

export interface DrawOptions {
  seed: number;
  /** Distinguishes patients (e.g. their index in the data, from 1). */
  key: number;
  draws?: number;
  /** SIR only: proposals per draw kept (default 5). */
  proposalsPerDraw?: number;
}

/** The scale of the posterior: the Laplace covariance, else the prior Ω (said by `scaleOf`). */
function scaleOf(fit: PatientFit, omega: Float64Array, n: number): Float64Array {
  const l = (fit.covariance && cholesky(fit.covariance, n)) || cholesky(omega, n);
  if (!l) throw new Error(`patient ${fit.id}: neither the Laplace covariance nor Ω is positive definite`);
  return l;
}

export function laplaceDraws(
  objective: PatientObjective,
  fit: PatientFit,
  options: DrawOptions
): PosteriorDraws {
  const n = fit.eta.length;
  const draws = options.draws ?? 1000;
  const l = scaleOf(fit, objective.calibration.parameters.omega, n);
  const stream = new RandomStream().reset(options.seed, LAPLACE_PURPOSE, options.key);
  const etas = new Float64Array(draws * n);
  const z = new Float64Array(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) z[i] = stream.normal();
    for (let i = 0; i < n; i++) {
      let s = fit.eta[i];
      for (let j = 0; j <= i; j++) s += l[i * n + j] * z[j];
      etas[d * n + i] = s;
    }
  }
  return { method: 'laplace', etas, draws, nEta: n };
}

export function sirDraws(objective: PatientObjective, fit: PatientFit, options: DrawOptions): PosteriorDraws {
  const n = fit.eta.length;
  const draws = options.draws ?? 1000;
  const m = draws * (options.proposalsPerDraw ?? 5);
  const l = scaleOf(fit, objective.calibration.parameters.omega, n);
  const stream = new RandomStream().reset(options.seed, SIR_PURPOSE, options.key);
  const proposals = new Float64Array(m * n);
  const logWeight = new Float64Array(m);
  const z = new Float64Array(n);
  const eta = new Float64Array(n);
  let maxLog = -Infinity;
  for (let d = 0; d < m; d++) {
    // t draw: η̂ + L·z/√(χ²_ν/ν); δ = zᵀz/w is the Mahalanobis distance under the scale.
    let chi = 0;
    for (let k = 0; k < PROPOSAL_DF; k++) {
      const g = stream.normal();
      chi += g * g;
    }
    const w = chi / PROPOSAL_DF;
    let zz = 0;
    for (let i = 0; i < n; i++) {
      z[i] = stream.normal();
      zz += z[i] * z[i];
    }
    const root = Math.sqrt(w);
    for (let i = 0; i < n; i++) {
      let s = fit.eta[i];
      for (let j = 0; j <= i; j++) s += (l[i * n + j] * z[j]) / root;
      eta[i] = s;
      proposals[d * n + i] = s;
    }
    const delta = zz / w;
    const logProposal = -0.5 * (PROPOSAL_DF + n) * Math.log1p(delta / PROPOSAL_DF);
    const ofv = objective.value(eta);
    const lw = Number.isFinite(ofv) ? -0.5 * (ofv - fit.ofv) - logProposal : -Infinity;
    logWeight[d] = lw;
    if (lw > maxLog) maxLog = lw;
  }
  const weight = Float64Array.from(logWeight, (lw) => Math.exp(lw - maxLog));
  let sum = 0;
  let sumSquares = 0;
  for (const w of weight) {
    sum += w;
    sumSquares += w * w;
  }
  // Systematic resampling: one uniform, `draws` evenly spaced points on the cumulative weights.
  const etas = new Float64Array(draws * n);
  const u0 = stream.uniform();
  let cumulative = weight[0];
  let source = 0;
  for (let d = 0; d < draws; d++) {
    const point = ((u0 + d) / draws) * sum;
    while (cumulative < point && source < m - 1) cumulative += weight[++source];
    for (let i = 0; i < n; i++) etas[d * n + i] = proposals[source * n + i];
  }
  return { method: 'sir', etas, draws, nEta: n, proposals: m, effectiveSampleSize: (sum * sum) / sumSquares };
}

/** Mean and covariance of draws (for the SIR-vs-Laplace check). */
export function drawMoments(p: PosteriorDraws): { mean: Float64Array; covariance: Float64Array } {
  const { nEta: n, draws, etas } = p;
  const mean = new Float64Array(n);
  for (let d = 0; d < draws; d++) for (let i = 0; i < n; i++) mean[i] += etas[d * n + i] / draws;
  const covariance = new Float64Array(n * n);
  for (let d = 0; d < draws; d++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        covariance[i * n + j] += ((etas[d * n + i] - mean[i]) * (etas[d * n + j] - mean[j])) / (draws - 1);
  return { mean, covariance };
}
