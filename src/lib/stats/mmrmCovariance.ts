// Within-subject covariance structures of an MMRM, each as Σ(θ) over unconstrained θ with the
// chain rule from ∂ℓ/∂Σ to ∂ℓ/∂θ. Unstructured uses the log-Cholesky parametrisation
// (Pinheiro & Bates 1996, Statistics and Computing 6:289): Σ = L Lᵀ with log L_vv free. The
// fallbacks (as in SAS PROC MIXED TYPE=TOEPH, ARH(1), CS) use log SDs and correlations tanh(φ).
import { cholesky } from './linalg';

export type MmrmCovarianceName =
  'unstructured' | 'heterogeneous-toeplitz' | 'heterogeneous-ar1' | 'compound-symmetry';

export interface MmrmCovariance {
  name: MmrmCovarianceName;
  /** number of parameters θ */
  size: number;
  /** θ from a positive-definite starting covariance */
  start(sigma0: Float64Array): Float64Array;
  /** writes Σ(θ) (V × V, row-major) into `out` */
  sigma(theta: Float64Array, out: Float64Array): void;
  /** ∂ℓ/∂θ from G = ∂ℓ/∂Σ (every entry free) at Σ = Σ(θ); writes into `out` */
  chain(theta: Float64Array, sigma: Float64Array, g: Float64Array, out: Float64Array): void;
}

const clampCorr = (r: number): number => Math.max(-0.9, Math.min(0.95, Number.isFinite(r) ? r : 0));

/** Mean correlation of sigma0 at each lag 1…V−1. */
function lagCorrelations(s: Float64Array, V: number): Float64Array {
  const r = new Float64Array(V);
  for (let d = 1; d < V; d++) {
    let sum = 0;
    for (let v = 0; v + d < V; v++)
      sum += s[v * V + v + d] / Math.sqrt(s[v * V + v] * s[(v + d) * V + v + d]);
    r[d] = clampCorr(sum / (V - d));
  }
  return r;
}

/** ∂ℓ/∂log σ_u = 2 Σ_w G[u,w] Σ[u,w] (Σ[v,w] is proportional to σ_v σ_w). */
function logSdChain(V: number, sigma: Float64Array, g: Float64Array, out: Float64Array): void {
  for (let u = 0; u < V; u++) {
    let s = 0;
    for (let w = 0; w < V; w++) s += g[u * V + w] * sigma[u * V + w];
    out[u] = 2 * s;
  }
}

function unstructured(V: number): MmrmCovariance {
  const size = (V * (V + 1)) / 2;
  const L = new Float64Array(V * V);
  const fill = (theta: Float64Array): void => {
    let t = 0;
    for (let a = 0; a < V; a++)
      for (let b = 0; b <= a; b++) L[a * V + b] = a === b ? Math.exp(theta[t++]) : theta[t++];
  };
  return {
    name: 'unstructured',
    size,
    start(s0) {
      const L0 = cholesky(s0, V) as Float64Array;
      const theta = new Float64Array(size);
      let t = 0;
      for (let a = 0; a < V; a++)
        for (let b = 0; b <= a; b++) theta[t++] = a === b ? Math.log(L0[a * V + a]) : L0[a * V + b];
      return theta;
    },
    sigma(theta, out) {
      fill(theta);
      for (let v = 0; v < V; v++)
        for (let w = 0; w <= v; w++) {
          let s = 0;
          for (let c = 0; c <= w; c++) s += L[v * V + c] * L[w * V + c];
          out[v * V + w] = s;
          out[w * V + v] = s;
        }
    },
    chain(theta, _sigma, g, out) {
      // ∂ℓ/∂L = 2 G L (G symmetric); the log-diagonal adds the factor L_aa
      fill(theta);
      let t = 0;
      for (let a = 0; a < V; a++)
        for (let b = 0; b <= a; b++) {
          let s = 0;
          for (let w = b; w < V; w++) s += g[a * V + w] * L[w * V + b];
          out[t++] = a === b ? 2 * s * L[a * V + a] : 2 * s;
        }
    }
  };
}

function heterogeneousToeplitz(V: number): MmrmCovariance {
  return {
    name: 'heterogeneous-toeplitz',
    size: 2 * V - 1,
    start(s0) {
      const r = lagCorrelations(s0, V);
      const theta = new Float64Array(2 * V - 1);
      for (let v = 0; v < V; v++) theta[v] = 0.5 * Math.log(s0[v * V + v]);
      for (let d = 1; d < V; d++) theta[V + d - 1] = Math.atanh(r[d]);
      return theta;
    },
    sigma(theta, out) {
      for (let v = 0; v < V; v++)
        for (let w = 0; w < V; w++) {
          const d = Math.abs(v - w);
          out[v * V + w] = Math.exp(theta[v] + theta[w]) * (d === 0 ? 1 : Math.tanh(theta[V + d - 1]));
        }
    },
    chain(theta, sigma, g, out) {
      logSdChain(V, sigma, g, out);
      for (let d = 1; d < V; d++) {
        const rho = Math.tanh(theta[V + d - 1]);
        let s = 0;
        for (let v = 0; v + d < V; v++) s += 2 * g[v * V + v + d] * Math.exp(theta[v] + theta[v + d]);
        out[V + d - 1] = s * (1 - rho * rho);
      }
    }
  };
}

function heterogeneousAr1(V: number): MmrmCovariance {
  return {
    name: 'heterogeneous-ar1',
    size: V + 1,
    start(s0) {
      const theta = new Float64Array(V + 1);
      for (let v = 0; v < V; v++) theta[v] = 0.5 * Math.log(s0[v * V + v]);
      theta[V] = Math.atanh(V > 1 ? lagCorrelations(s0, V)[1] : 0);
      return theta;
    },
    sigma(theta, out) {
      const rho = Math.tanh(theta[V]);
      for (let v = 0; v < V; v++)
        for (let w = 0; w < V; w++) out[v * V + w] = Math.exp(theta[v] + theta[w]) * rho ** Math.abs(v - w);
    },
    chain(theta, sigma, g, out) {
      logSdChain(V, sigma, g, out);
      const rho = Math.tanh(theta[V]);
      let s = 0;
      for (let v = 0; v < V; v++)
        for (let w = 0; w < V; w++) {
          const d = Math.abs(v - w);
          if (d > 0) s += g[v * V + w] * Math.exp(theta[v] + theta[w]) * d * rho ** (d - 1);
        }
      out[V] = s * (1 - rho * rho);
    }
  };
}

function compoundSymmetry(V: number): MmrmCovariance {
  return {
    name: 'compound-symmetry',
    size: 2,
    start(s0) {
      let variance = 0;
      for (let v = 0; v < V; v++) variance += s0[v * V + v] / V;
      let r = 0;
      const lags = lagCorrelations(s0, V);
      for (let d = 1; d < V; d++) r += lags[d] / (V - 1);
      return Float64Array.of(0.5 * Math.log(variance), Math.atanh(clampCorr(r)));
    },
    sigma(theta, out) {
      const variance = Math.exp(2 * theta[0]);
      const rho = Math.tanh(theta[1]);
      for (let v = 0; v < V; v++) for (let w = 0; w < V; w++) out[v * V + w] = variance * (v === w ? 1 : rho);
    },
    chain(theta, sigma, g, out) {
      const variance = Math.exp(2 * theta[0]);
      const rho = Math.tanh(theta[1]);
      let all = 0;
      let off = 0;
      for (let v = 0; v < V; v++)
        for (let w = 0; w < V; w++) {
          all += g[v * V + w] * sigma[v * V + w];
          if (v !== w) off += g[v * V + w];
        }
      out[0] = 2 * all;
      out[1] = variance * (1 - rho * rho) * off;
    }
  };
}

/** The covariance structure `name` over V visits. */
export function mmrmCovariance(name: MmrmCovarianceName, V: number): MmrmCovariance {
  switch (name) {
    case 'unstructured':
      return unstructured(V);
    case 'heterogeneous-toeplitz':
      return heterogeneousToeplitz(V);
    case 'heterogeneous-ar1':
      return heterogeneousAr1(V);
    case 'compound-symmetry':
      return compoundSymmetry(V);
  }
}
