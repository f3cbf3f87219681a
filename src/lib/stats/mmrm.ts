// Mixed model for repeated measures (MMRM; Mallinckrodt et al. 2008, Drug Inf J 42:303): mean
// arm × visit [+ baseline × visit], a within-subject covariance over visits fitted by REML, and the
// treatment effect (arm − control) at each visit with Satterthwaite degrees of freedom. The same
// model as R
//   nlme::gls(y ~ arm * visit + baseline * visit, method = "REML", na.action = na.omit,
//             correlation = corSymm(form = ~ as.integer(visit) | id), weights = varIdent(form = ~ 1 | visit))
// (checked against it in tests/golden/mmrm). Unstructured covariance first; when it does not
// converge or its estimate is singular, heterogeneous Toeplitz, heterogeneous AR(1) and compound
// symmetry in turn, and the result says which structure was used and why.
//
// Fitting: Fisher scoring on the REML log-likelihood with its analytic gradient (remlMmrm) and the
// expected information in closed form (mmrmInformation), from the OLS residuals' covariance; then
// the observed information at the optimum, by central differences of the gradient, gives the
// covariance of the covariance parameters for Satterthwaite's df
// (Satterthwaite 1946; for MMRM as in SAS PROC MIXED DDFM=SATTERTHWAITE and R emmeans'
// mode = "satterthwaite"): df = 2 φ² / (∇φᵀ Var(θ̂) ∇φ), φ = Var(effect) = cᵀA⁻¹c.
import { studentTQuantile, studentTTwoSided } from './distributions';
import { StatsInputError } from './errors';
import { cholesky, choleskyInverse, choleskySolve } from './linalg';
import { mmrmCovariance, type MmrmCovariance, type MmrmCovarianceName } from './mmrmCovariance';
import { mmrmData, type MmrmData, type MmrmDataOptions, type MmrmInput } from './mmrmData';
import { mmrmInformation } from './mmrmInformation';
import { mmrmNormalEquations, remlMmrm, type RemlMmrm } from './remlMmrm';
import { assertConfLevel } from './validate';

export type { MmrmInput } from './mmrmData';
export type { MmrmCovarianceName } from './mmrmCovariance';

export interface MmrmOptions extends MmrmDataOptions {
  /** visit level of the primary effect; default the last visit */
  at?: string;
  /** default 0.95 */
  confLevel?: number;
  /** covariance structures to try, in order; default all four, unstructured first */
  covariance?: readonly MmrmCovarianceName[];
}

/** Treatment effect (arm − control) at one visit. */
export interface MmrmEffect {
  arm: string;
  visit: string;
  estimate: number;
  stdErr: number;
  df: number;
  ciLow: number;
  ciHigh: number;
  /** t statistic */
  statistic: number;
  /** two-sided p-value */
  pValue: number;
}

export interface MmrmResult {
  /** effects of every arm at the requested visit `at` */
  primary: MmrmEffect[];
  /** effects of every arm at every visit, visit-major */
  effects: MmrmEffect[];
  at: string;
  control: string;
  visits: string[];
  arms: string[];
  confLevel: number;
  covariance: MmrmCovarianceName;
  /** why the structures tried before `covariance` were not used; null when the first one was */
  fallbackReason: string | null;
  /** estimated within-subject covariance (visits × visits) */
  covarianceMatrix: number[][];
  /** REML log-likelihood with its constants, as R's logLik() of the gls fit */
  logLik: number;
  dfMethod: 'satterthwaite' | 'between-within';
  converged: boolean;
  /** Fisher scoring steps of the structure used */
  iterations: number;
  nSubjects: number;
  nObservations: number;
  /** fixed effects named and parametrised as R's treatment contrasts (coef() of the gls fit) */
  coefficients: { name: string; estimate: number; stdErr: number }[];
}

const STRUCTURES: readonly MmrmCovarianceName[] = [
  'unstructured',
  'heterogeneous-toeplitz',
  'heterogeneous-ar1',
  'compound-symmetry'
];
// largest |∂ℓ/∂θ| (θ: log SDs, Cholesky entries or atanh correlations; ℓ in log units) at which
// scoring stops; and the largest at which a point no step can improve is still taken as the optimum
const GRADIENT_TOLERANCE_FINAL = 1e-8;
const GRADIENT_TOLERANCE = 1e-4;
const MAX_ITERATIONS = 200;
const FLAT =
  'the REML log-likelihood is flat in some direction (covariance parameters not identifiable, e.g. two visits never observed in one subject)';

/** Fits an MMRM to long-format data and reports the treatment effects; see the file comment. */
export function mmrm(input: MmrmInput, options: MmrmOptions): MmrmResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const data = mmrmData(input, options);
  const at = options.at ?? data.visits[data.visits.length - 1];
  const atIndex = data.visits.indexOf(String(at));
  if (atIndex < 0)
    throw new StatsInputError(`at "${at}" is not a visit level; levels are ${data.visits.join(', ')}`);
  const order = options.covariance ?? STRUCTURES;
  for (const name of order) {
    if (!STRUCTURES.includes(name)) {
      throw new StatsInputError(`covariance "${name}" is not one of ${STRUCTURES.join(', ')}`);
    }
  }
  if (order.length === 0)
    throw new StatsInputError(`covariance lists no structure; allowed: ${STRUCTURES.join(', ')}`);
  assertFullRank(data);
  const sigma0 = startingCovariance(data);

  const failures: string[] = [];
  for (const name of order) {
    const fit = fitStructure(data, mmrmCovariance(name, data.nVisits), sigma0);
    if (typeof fit === 'string') {
      failures.push(`${name}: ${fit}`);
      continue;
    }
    return report(data, fit, atIndex, confLevel, failures.length ? failures.join('; ') : null);
  }
  throw new StatsInputError(
    `MMRM could not be fitted with any covariance structure (${failures.join('; ')})`
  );
}

interface Fit {
  structure: MmrmCovariance;
  theta: Float64Array;
  sigma: Float64Array;
  reml: RemlMmrm;
  /** Var(θ̂) = (−∇²ℓ)⁻¹, or null when not positive definite */
  thetaCov: Float64Array | null;
  iterations: number;
}

function identity(V: number): Float64Array {
  const out = new Float64Array(V * V);
  for (let v = 0; v < V; v++) out[v * V + v] = 1;
  return out;
}

/** Throws naming the visit and column when the fixed-effects design is rank deficient. */
function assertFullRank(data: MmrmData): void {
  const { p, m, nVisits: V } = data;
  const xtx = (mmrmNormalEquations(data, identity(V)) as { a: Float64Array }).a;
  // the first leading block that is not positive definite names the column collinear with earlier ones
  for (let k = 1; k <= p; k++) {
    const block = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) block[i * k + j] = xtx[i * p + j];
    if (!cholesky(block, k, 1e-10)) {
      const v = Math.floor((k - 1) / m);
      const j = (k - 1) % m;
      const column = j === 0 ? 'intercept' : j < data.arms.length ? `arm "${data.arms[j]}"` : 'baseline';
      throw new StatsInputError(
        `the design is singular: ${column} at visit "${data.visits[v]}" is collinear with the other terms (e.g. a baseline that is constant at that visit)`
      );
    }
  }
}

/** Subjects observed at both visits v and w (V × V). */
function coObserved(data: MmrmData): Float64Array {
  const V = data.nVisits;
  const pairs = new Float64Array(V * V);
  for (const pat of data.patterns) {
    for (const v of pat.visits) for (const w of pat.visits) pairs[v * V + w] += pat.nSubjects;
  }
  return pairs;
}

/** Pairwise covariance of the OLS residuals (diagonal when that is not positive definite). */
function startingCovariance(data: MmrmData): Float64Array {
  const V = data.nVisits;
  const ols = remlMmrm(data, identity(V)) as RemlMmrm;
  const pairs = coObserved(data);
  const s0 = new Float64Array(V * V);
  for (let i = 0; i < V * V; i++) s0[i] = pairs[i] > 0 ? ols.residualProducts[i] / pairs[i] : 0;
  if (cholesky(s0, V, 1e-6)) return s0;
  for (let v = 0; v < V; v++) for (let w = 0; w < V; w++) if (v !== w) s0[v * V + w] = 0;
  for (let v = 0; v < V; v++) if (!(s0[v * V + v] > 0)) s0[v * V + v] = 1;
  return s0;
}

/** REML fit of one structure, or the reason it failed. */
function fitStructure(data: MmrmData, structure: MmrmCovariance, sigma0: Float64Array): Fit | string {
  const V = data.nVisits;
  const q = structure.size;
  if (structure.name === 'unstructured') {
    // a covariance between two visits never seen together is not identifiable (the REML
    // log-likelihood does not depend on it); the log-Cholesky Hessian need not show it
    const pairs = coObserved(data);
    for (let v = 0; v < V; v++)
      for (let w = v + 1; w < V; w++)
        if (pairs[v * V + w] === 0)
          return `visits "${data.visits[v]}" and "${data.visits[w]}" are never observed in the same subject`;
  }
  // one REML evaluation serves both the value and the gradient at the same θ
  let cacheTheta = new Float64Array(0);
  let cacheSigma = new Float64Array(V * V);
  let cacheReml: RemlMmrm | null = null;
  const evaluate = (theta: Float64Array): RemlMmrm | null => {
    let same = cacheTheta.length === q;
    for (let i = 0; same && i < q; i++) same = cacheTheta[i] === theta[i];
    if (!same) {
      cacheTheta = Float64Array.from(theta);
      cacheSigma = new Float64Array(V * V);
      structure.sigma(theta, cacheSigma);
      cacheReml = remlMmrm(data, cacheSigma);
      if (cacheReml && !Number.isFinite(cacheReml.logLik)) cacheReml = null;
    }
    return cacheReml;
  };
  const gradientAt = (theta: Float64Array, g: Float64Array): boolean => {
    const r = evaluate(theta);
    if (!r) return false;
    structure.chain(theta, cacheSigma, r.gradSigma, g);
    return g.every(Number.isFinite);
  };

  // Fisher scoring: each step solves I(θ) δ = ∇ℓ, the expected information being cheap in closed
  // form (mmrmInformation) and positive definite wherever θ is identifiable, so every step climbs
  // and is scaled to the problem whatever the outcome's units. A quasi-Newton search starts from
  // the identity instead: ~35 evaluations, and on outcomes with small variances (HbA1c) its line
  // search could stall, leaving thousands of Nelder–Mead iterations.
  const theta = structure.start(sigma0);
  const g = new Float64Array(q);
  const trial = new Float64Array(q);
  let iterations = 0;
  for (;;) {
    const here = evaluate(theta);
    if (!here || !gradientAt(theta, g)) {
      return iterations === 0
        ? 'the REML log-likelihood is not finite at the starting values'
        : 'the REML log-likelihood is not finite at the optimiser’s solution';
    }
    let gMax = 0;
    for (let i = 0; i < q; i++) gMax = Math.max(gMax, Math.abs(g[i]));
    if (gMax <= GRADIENT_TOLERANCE_FINAL) break;
    if (iterations === MAX_ITERATIONS) return `did not converge (largest gradient ${gMax.toExponential(2)})`;
    const LI = cholesky(mmrmInformation(data, structure, theta, cacheSigma, here.patternInverses), q, 1e-14);
    if (!LI) return FLAT;
    const delta = choleskySolve(LI, q, g);
    let slope = 0;
    for (let i = 0; i < q; i++) slope += g[i] * delta[i];
    // Halve the step until ℓ rises enough (Armijo). Once the predicted rise is below a millionth
    // of a log-likelihood unit, ℓ's rounding (from cancellations of terms as large as yᵀV⁻¹y) can
    // exceed it, and the step, tiny and where the quadratic model is exact, is taken as it is.
    const trusted = slope < 1e-6;
    let accepted = trusted;
    for (let t = 1; t > 1e-10 && !accepted; t /= 2) {
      for (let i = 0; i < q; i++) trial[i] = theta[i] + t * delta[i];
      const after = evaluate(trial);
      accepted = after !== null && after.logLik >= here.logLik + 1e-4 * t * slope;
    }
    if (trusted) for (let i = 0; i < q; i++) trial[i] = theta[i] + delta[i];
    if (!accepted) {
      if (gMax > GRADIENT_TOLERANCE) return `did not converge (largest gradient ${gMax.toExponential(2)})`;
      break; // no better point within reach of the rounding in ℓ: this is the optimum
    }
    theta.set(trial);
    iterations++;
  }
  const reml = evaluate(theta) as RemlMmrm;
  const sigma = Float64Array.from(cacheSigma);

  // the observed information at the optimum, for Satterthwaite's Var(θ̂) (R's emmeans and SAS
  // use the observed, not the expected, information)
  const hess = negativeHessian(theta, q, gradientAt);
  const L = hess && cholesky(hess, q, 1e-14);
  if (!hess || !L)
    return 'the REML log-likelihood is not at a maximum (its Hessian is not negative definite)';
  if (!wellConditioned(hess, q)) return FLAT;
  if (singular(sigma, V)) return 'the estimated covariance is singular';
  return { structure, theta, sigma, reml, thetaCov: choleskyInverse(L, q), iterations };
}

/** −∇²ℓ by central differences of the analytic gradient, symmetrised; null where not finite. */
function negativeHessian(
  theta: Float64Array,
  q: number,
  gradientAt: (theta: Float64Array, g: Float64Array) => boolean
): Float64Array | null {
  const h = new Float64Array(q * q);
  const t = Float64Array.from(theta);
  const gp = new Float64Array(q);
  const gm = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    // step ε^(1/3)·max(|θ|, 1): the usual balance of truncation and rounding for central differences
    const e = 6e-6 * Math.max(Math.abs(theta[j]), 1);
    t[j] = theta[j] + e;
    if (!gradientAt(t, gp)) return null;
    t[j] = theta[j] - e;
    if (!gradientAt(t, gm)) return null;
    t[j] = theta[j];
    for (let i = 0; i < q; i++) h[i * q + j] = -(gp[i] - gm[i]) / (2 * e);
  }
  for (let i = 0; i < q; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (h[i * q + j] + h[j * q + i]);
      h[i * q + j] = s;
      h[j * q + i] = s;
    }
  return h;
}

/** False when the Hessian, scaled to unit diagonal, is numerically singular (a flat direction). */
function wellConditioned(hess: Float64Array, q: number): boolean {
  const scaled = new Float64Array(q * q);
  for (let i = 0; i < q; i++)
    for (let j = 0; j < q; j++)
      scaled[i * q + j] = hess[i * q + j] / Math.sqrt(hess[i * q + i] * hess[j * q + j]);
  return cholesky(scaled, q, 1e-8) !== null;
}

/** True when the correlation matrix of sigma is numerically singular (or a variance vanishes). */
function singular(sigma: Float64Array, V: number): boolean {
  const r = new Float64Array(V * V);
  for (let v = 0; v < V; v++) {
    if (!(sigma[v * V + v] > 1e-12 * Math.max(...sigma))) return true;
    for (let w = 0; w < V; w++)
      r[v * V + w] = sigma[v * V + w] / Math.sqrt(sigma[v * V + v] * sigma[w * V + w]);
  }
  return cholesky(r, V, 1e-8) === null;
}

/** ∂(cᵀA⁻¹c)/∂Σ for c = e_index: Σ_P E_Pᵀ W_P M_P W_P E_P with M_P = U_P (Σ z zᵀ) U_Pᵀ, u = A⁻¹c. */
function effectVarianceGradient(data: MmrmData, reml: RemlMmrm, index: number): Float64Array {
  const { m, p, nVisits: V } = data;
  const { covBeta, patternInverses } = reml;
  const out = new Float64Array(V * V);
  const M = new Float64Array(V * V);
  const t = new Float64Array(V * V);
  data.patterns.forEach((pat, pi) => {
    const idx = pat.visits;
    const k = idx.length;
    const w = patternInverses[pi];
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < m; j++) {
          const uj = covBeta[(idx[r] * m + j) * p + index];
          for (let l = 0; l < m; l++) s += uj * pat.zz[j * m + l] * covBeta[(idx[c] * m + l) * p + index];
        }
        M[r * k + c] = s;
      }
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += M[r * k + a] * w[a * k + c];
        t[r * k + c] = s;
      }
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += w[r * k + a] * t[a * k + c];
        out[idx[r] * V + idx[c]] += s;
      }
  });
  return out;
}

/** Coefficients as R's treatment contrasts: each a combination of the visit-major parameters. */
function rCoefficients(
  data: MmrmData,
  beta: Float64Array,
  covBeta: Float64Array
): MmrmResult['coefficients'] {
  const { m, p, visits, arms, hasBaseline } = data;
  const A = arms.length;
  const c = data.baselineCentre;
  const at = (v: number, j: number): number => v * m + j;
  const rows: { name: string; terms: [number, number][] }[] = [];
  // the intercept of visit v on the raw baseline scale is μ_v − c·b_v
  const intercept = (v: number, sign: number): [number, number][] =>
    hasBaseline
      ? [
          [at(v, 0), sign],
          [at(v, A), -c * sign]
        ]
      : [[at(v, 0), sign]];
  rows.push({ name: '(Intercept)', terms: intercept(0, 1) });
  for (let k = 1; k < A; k++) rows.push({ name: `arm${arms[k]}`, terms: [[at(0, k), 1]] });
  for (let v = 1; v < visits.length; v++)
    rows.push({ name: `visit${visits[v]}`, terms: [...intercept(v, 1), ...intercept(0, -1)] });
  if (hasBaseline) rows.push({ name: 'baseline', terms: [[at(0, A), 1]] });
  for (let v = 1; v < visits.length; v++)
    for (let k = 1; k < A; k++)
      rows.push({
        name: `arm${arms[k]}:visit${visits[v]}`,
        terms: [
          [at(v, k), 1],
          [at(0, k), -1]
        ]
      });
  if (hasBaseline)
    for (let v = 1; v < visits.length; v++)
      rows.push({
        name: `visit${visits[v]}:baseline`,
        terms: [
          [at(v, A), 1],
          [at(0, A), -1]
        ]
      });
  return rows.map(({ name, terms }) => {
    let estimate = 0;
    let variance = 0;
    for (const [i, a] of terms) {
      estimate += a * beta[i];
      for (const [j, b] of terms) variance += a * b * covBeta[i * p + j];
    }
    return { name, estimate, stdErr: Math.sqrt(Math.max(variance, 0)) };
  });
}

function report(
  data: MmrmData,
  fit: Fit,
  atIndex: number,
  confLevel: number,
  fallbackReason: string | null
): MmrmResult {
  const { m, p, nVisits: V, arms, visits } = data;
  const { beta, covBeta, logLik } = fit.reml;
  const q = fit.structure.size;
  const gTheta = new Float64Array(q);
  const effects: MmrmEffect[] = [];
  let dfMethod: MmrmResult['dfMethod'] = 'satterthwaite';
  const dfs: number[] = [];
  for (let v = 0; v < V; v++)
    for (let k = 1; k < arms.length; k++) {
      const index = v * m + k;
      const variance = covBeta[index * p + index];
      let df = NaN;
      if (fit.thetaCov) {
        const gSigma = effectVarianceGradient(data, fit.reml, index);
        fit.structure.chain(fit.theta, fit.sigma, gSigma, gTheta);
        let quad = 0;
        for (let i = 0; i < q; i++)
          for (let j = 0; j < q; j++) quad += gTheta[i] * fit.thetaCov[i * q + j] * gTheta[j];
        df = (2 * variance * variance) / quad;
      }
      dfs.push(df);
    }
  if (!dfs.every((d) => Number.isFinite(d) && d > 0)) {
    // between-within (SAS DDFM=BETWITHIN): the arm effect is between subjects, so subjects minus
    // the between-subject columns (intercept, arm dummies, baseline)
    dfMethod = 'between-within';
    dfs.fill(data.nSubjects - m);
  }
  let n = 0;
  for (let v = 0; v < V; v++)
    for (let k = 1; k < arms.length; k++) {
      const index = v * m + k;
      const estimate = beta[index];
      const stdErr = Math.sqrt(covBeta[index * p + index]);
      const df = dfs[n++];
      const qt = studentTQuantile(1 - (1 - confLevel) / 2, df);
      const statistic = estimate / stdErr;
      effects.push({
        arm: arms[k],
        visit: visits[v],
        estimate,
        stdErr,
        df,
        ciLow: estimate - qt * stdErr,
        ciHigh: estimate + qt * stdErr,
        statistic,
        pValue: studentTTwoSided(statistic, df)
      });
    }
  const covarianceMatrix: number[][] = [];
  for (let v = 0; v < V; v++) covarianceMatrix.push(Array.from(fit.sigma.subarray(v * V, v * V + V)));
  return {
    primary: effects.filter((e) => e.visit === visits[atIndex]),
    effects,
    at: visits[atIndex],
    control: arms[0],
    visits,
    arms,
    confLevel,
    covariance: fit.structure.name,
    fallbackReason,
    covarianceMatrix,
    logLik,
    dfMethod,
    converged: true,
    iterations: fit.iterations,
    nSubjects: data.nSubjects,
    nObservations: data.nObservations,
    coefficients: rCoefficients(data, beta, covBeta)
  };
}
