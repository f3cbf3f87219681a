// Expected (Fisher) information of an MMRM's covariance parameters θ, the metric of the Fisher
// scoring steps in mmrm.ts (Jennrich & Schluchter 1986, Biometrics 42:805, §3; SAS PROC MIXED
// scores the same way before its Newton steps):
//   I(θ)_st = ½ Σ_P n_P tr(W_P ∂Σ_P/∂θ_s W_P ∂Σ_P/∂θ_t),   W_P = Σ_P⁻¹ over pattern P's visits.
// This is the ML information; REML's differs by terms of order p/N, which only slow the scoring
// a little: the steps solve I δ = ∇ℓ_R with the exact REML gradient, so they stop at the REML optimum.
import type { MmrmCovariance } from './mmrmCovariance';
import type { MmrmData } from './mmrmData';

/**
 * ∂Σ/∂θ_t for every t (q blocks of V × V). The structure's chain rule is linear in G = ∂ℓ/∂Σ, so
 * fed the symmetric unit matrix of entry (v, w) it returns ∂Σ[v,w]/∂θ: no structure needs its own
 * Jacobian.
 */
function sigmaJacobian(
  structure: MmrmCovariance,
  theta: Float64Array,
  sigma: Float64Array,
  V: number
): Float64Array {
  const q = structure.size;
  const jac = new Float64Array(q * V * V);
  const unit = new Float64Array(V * V);
  const column = new Float64Array(q);
  for (let v = 0; v < V; v++)
    for (let w = 0; w <= v; w++) {
      // G symmetric with entries summing to one over (v, w) and (w, v)
      unit[v * V + w] = v === w ? 1 : 0.5;
      unit[w * V + v] = v === w ? 1 : 0.5;
      structure.chain(theta, sigma, unit, column);
      unit[v * V + w] = 0;
      unit[w * V + v] = 0;
      for (let t = 0; t < q; t++) {
        jac[t * V * V + v * V + w] = column[t];
        jac[t * V * V + w * V + v] = column[t];
      }
    }
  return jac;
}

/** I(θ) (q × q) at Σ = Σ(θ), given each pattern's W_P (k × k, in data.patterns' order). */
export function mmrmInformation(
  data: MmrmData,
  structure: MmrmCovariance,
  theta: Float64Array,
  sigma: Float64Array,
  patternInverses: readonly Float64Array[]
): Float64Array {
  const V = data.nVisits;
  const V2 = V * V;
  const q = structure.size;
  // I = Jᵀ K J: K the information of Σ's V² entries, K[(x,y),(u,v)] = ½ Σ_P n_P W_P[x,v] W_P[y,u]
  // (so that ½ n tr(W A W B) = vec(A)ᵀ K vec(B) for symmetric A, B), J = ∂vec(Σ)/∂θ
  const K = new Float64Array(V2 * V2);
  data.patterns.forEach((pat, pi) => {
    const w = patternInverses[pi];
    const idx = pat.visits;
    const k = idx.length;
    const half = 0.5 * pat.nSubjects;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        const row = (idx[a] * V + idx[b]) * V2;
        for (let c = 0; c < k; c++) {
          const wbc = half * w[b * k + c];
          for (let d = 0; d < k; d++) K[row + idx[c] * V + idx[d]] += w[a * k + d] * wbc;
        }
      }
  });
  // J is sparse (∂Σ/∂θ_t touches one row and column for the log-Cholesky, the structure's
  // entries otherwise): products skip its zeros
  const jac = sigmaJacobian(structure, theta, sigma, V);
  const kj = new Float64Array(V2);
  const info = new Float64Array(q * q);
  for (let t = 0; t < q; t++) {
    kj.fill(0);
    for (let e = 0; e < V2; e++) {
      const j = jac[t * V2 + e];
      if (j === 0) continue;
      // K is symmetric: its row e is its column e
      for (let f = 0; f < V2; f++) kj[f] += K[e * V2 + f] * j;
    }
    for (let s = 0; s <= t; s++) {
      let sum = 0;
      for (let f = 0; f < V2; f++) {
        const j = jac[s * V2 + f];
        if (j !== 0) sum += j * kj[f];
      }
      info[s * q + t] = sum;
      info[t * q + s] = sum;
    }
  }
  return info;
}
