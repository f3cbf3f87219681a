// Restricted (REML) log-likelihood of an MMRM at a given within-subject covariance Σ (V × V),
// with its generalised least-squares fixed effects and the gradient with respect to Σ's entries.
//   ℓ_R = −½ [ (N − p) log 2π + Σᵢ log|Σᵢ| + log|XᵀV⁻¹X| + rᵀV⁻¹r ]
// (Harville 1977, JASA 72:320; the convention of R nlme::gls(method = "REML"), which reports this
// value at its optimum). With X's rows e_v ⊗ zᵢ, XᵀV⁻¹X = Σ_patterns W_P ⊗ Σ z zᵀ (W_P = Σ_P⁻¹),
// so every term comes from mmrmData's per-pattern sums.
// Gradient (Jennrich & Schluchter 1986, Biometrics 42:805): with P = V⁻¹ − V⁻¹XA⁻¹XᵀV⁻¹,
//   ∂ℓ_R/∂Σ = −½ Σᵢ Eᵢᵀ [ Wᵢ − Wᵢ Xᵢ A⁻¹ Xᵢᵀ Wᵢ − Wᵢ rᵢ rᵢᵀ Wᵢ ] Eᵢ.
import { cholesky, choleskyInverse, choleskySolve } from './linalg';
import type { MmrmData } from './mmrmData';

export interface RemlMmrm {
  logLik: number;
  /** GLS fixed effects (visit-major, index v·m + j) */
  beta: Float64Array;
  /** A⁻¹ = (XᵀV⁻¹X)⁻¹, the model-based covariance of beta (p × p) */
  covBeta: Float64Array;
  /** ∂ℓ_R/∂Σ[v,w] treating every entry of Σ as free (symmetric V × V) */
  gradSigma: Float64Array;
  /** Σᵢ rᵢ rᵢᵀ over observed pairs (V × V), for starting values */
  residualProducts: Float64Array;
  /** W_P = Σ_P⁻¹ of each pattern (k × k over its observed visits), in data.patterns' order */
  patternInverses: Float64Array[];
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Inverse and log-determinant of Σ restricted to `idx`, or null when that block is not positive definite. */
function patternInverse(
  sigma: Float64Array,
  V: number,
  idx: Int32Array
): { w: Float64Array; logDet: number } | null {
  const k = idx.length;
  const s = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s[a * k + b] = sigma[idx[a] * V + idx[b]];
  const L = cholesky(s, k);
  if (!L) return null;
  let logDet = 0;
  for (let a = 0; a < k; a++) logDet += 2 * Math.log(L[a * k + a]);
  return { w: choleskyInverse(L, k), logDet };
}

/** XᵀV⁻¹X (p × p) and XᵀV⁻¹y at Σ; null when a pattern's block of Σ is not positive definite. */
export function mmrmNormalEquations(
  data: MmrmData,
  sigma: Float64Array
): { a: Float64Array; b: Float64Array; yWy: number; logDetSigma: number; w: Float64Array[] } | null {
  const { m, p, nVisits: V } = data;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  let yWy = 0;
  let logDetSigma = 0;
  const ws: Float64Array[] = [];
  for (const pat of data.patterns) {
    const inv = patternInverse(sigma, V, pat.visits);
    if (!inv) return null;
    const { w } = inv;
    ws.push(w);
    logDetSigma += pat.nSubjects * inv.logDet;
    const { visits: idx, zz, zy, yy } = pat;
    const k = idx.length;
    for (let r = 0; r < k; r++) {
      const v = idx[r];
      for (let c = 0; c < k; c++) {
        const u = idx[c];
        const wrc = w[r * k + c];
        yWy += wrc * yy[v * V + u];
        for (let j = 0; j < m; j++) {
          b[v * m + j] += wrc * zy[j * V + u];
          const row = (v * m + j) * p + u * m;
          for (let l = 0; l < m; l++) a[row + l] += wrc * zz[j * m + l];
        }
      }
    }
  }
  return { a, b, yWy, logDetSigma, w: ws };
}

/** REML log-likelihood, GLS estimates and gradient at Σ; null when Σ or XᵀV⁻¹X is not positive definite. */
export function remlMmrm(data: MmrmData, sigma: Float64Array): RemlMmrm | null {
  const { m, p, nVisits: V } = data;
  const ne = mmrmNormalEquations(data, sigma);
  if (!ne) return null;
  const LA = cholesky(ne.a, p, 1e-13);
  if (!LA) return null;
  let logDetA = 0;
  for (let i = 0; i < p; i++) logDetA += 2 * Math.log(LA[i * p + i]);
  const beta = choleskySolve(LA, p, ne.b);
  let bBeta = 0;
  for (let i = 0; i < p; i++) bBeta += ne.b[i] * beta[i];
  const rWr = ne.yWy - bBeta;
  const logLik = -0.5 * ((data.nObservations - p) * LOG_2PI + ne.logDetSigma + logDetA + rWr);
  const covBeta = choleskyInverse(LA, p);

  const gradSigma = new Float64Array(V * V);
  const residualProducts = new Float64Array(V * V);
  // work arrays of the largest pattern, reused by every pattern
  const inner = new Float64Array(V * V);
  const t = new Float64Array(V * V);
  for (let pi = 0; pi < data.patterns.length; pi++) {
    const { visits: idx, zz, zy, yy, nSubjects } = data.patterns[pi];
    const w = ne.w[pi];
    const k = idx.length;
    // inner = Q + R over the observed visits: Q = Σᵢ Xᵢ A⁻¹ Xᵢᵀ, R = Σᵢ rᵢ rᵢᵀ; both symmetric,
    // so only r ≤ c is computed
    for (let r = 0; r < k; r++) {
      const v = idx[r];
      for (let c = r; c < k; c++) {
        const u = idx[c];
        let q = 0;
        let bzy = 0;
        let zyb = 0;
        let bzzb = 0;
        for (let j = 0; j < m; j++) {
          const bvj = beta[v * m + j];
          bzy += bvj * zy[j * V + u];
          zyb += zy[j * V + v] * beta[u * m + j];
          const row = (v * m + j) * p + u * m;
          let zb = 0;
          for (let l = 0; l < m; l++) {
            const z = zz[j * m + l];
            q += covBeta[row + l] * z;
            zb += z * beta[u * m + l];
          }
          bzzb += bvj * zb;
        }
        const rr = yy[v * V + u] - bzy - zyb + bzzb;
        residualProducts[v * V + u] += rr;
        if (c !== r) residualProducts[u * V + v] += rr;
        inner[r * k + c] = q + rr;
        inner[c * k + r] = q + rr;
      }
    }
    // G_P = n W − W (Q + R) W, symmetric
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += inner[r * k + l] * w[l * k + c];
        t[r * k + c] = s;
      }
    for (let r = 0; r < k; r++)
      for (let c = r; c < k; c++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += w[r * k + l] * t[l * k + c];
        const gr = -0.5 * (nSubjects * w[r * k + c] - s);
        gradSigma[idx[r] * V + idx[c]] += gr;
        if (c !== r) gradSigma[idx[c] * V + idx[r]] += gr;
      }
  }
  return { logLik, beta, covBeta, gradSigma, residualProducts, patternInverses: ne.w };
}
