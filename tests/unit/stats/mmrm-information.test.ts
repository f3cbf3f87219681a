// The expected information of the MMRM covariance parameters against two independent forms:
// for one visit, the Fisher information of log σ from n normal observations is 2n; in general,
// the expected information at θ₀ is the Hessian at θ₀ of the Kullback–Leibler divergence
//   K(θ) = ½ Σ_P n_P [log|Σ_P(θ)| + tr(Σ_P(θ)⁻¹ Σ_P(θ₀))]
// (Lehmann & Casella 1998, §2.6), here by central second differences of Σ(θ) alone, without the
// structures' chain rule that mmrmInformation relies on.
import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse } from '../../../src/lib/stats/linalg';
import { mmrmCovariance, type MmrmCovarianceName } from '../../../src/lib/stats/mmrmCovariance';
import type { MmrmData } from '../../../src/lib/stats/mmrmData';
import { mmrmInformation } from '../../../src/lib/stats/mmrmInformation';
import { expectClose } from './golden';

/** Just what the information reads: each pattern's visits and size. */
function patterns(V: number, list: [number[], number][]): MmrmData {
  return {
    nVisits: V,
    patterns: list.map(([visits, nSubjects]) => ({ visits: Int32Array.from(visits), nSubjects }))
  } as unknown as MmrmData;
}

/** Σ restricted to idx: its inverse and log-determinant. */
function block(sigma: Float64Array, V: number, idx: Int32Array): { w: Float64Array; logDet: number } {
  const k = idx.length;
  const s = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s[a * k + b] = sigma[idx[a] * V + idx[b]];
  const L = cholesky(s, k) as Float64Array;
  let logDet = 0;
  for (let a = 0; a < k; a++) logDet += 2 * Math.log(L[a * k + a]);
  return { w: choleskyInverse(L, k), logDet };
}

const V = 4;
const data = patterns(V, [
  [[0], 5],
  [[0, 1, 2], 7],
  [[0, 1, 2, 3], 30]
]);
const sigma0 = Float64Array.from([4, 2, 1.5, 1, 2, 5, 2.5, 2, 1.5, 2.5, 6, 3, 1, 2, 3, 7]);

describe('mmrmInformation', () => {
  it('is 2n for log σ of one visit', () => {
    const one = patterns(1, [[[0], 13]]);
    const structure = mmrmCovariance('unstructured', 1);
    const theta = Float64Array.of(0.7);
    const sigma = new Float64Array(1);
    structure.sigma(theta, sigma);
    const info = mmrmInformation(one, structure, theta, sigma, [Float64Array.of(1 / sigma[0])]);
    expectClose(info[0], 26, 1e-14, 0, 'I(log σ)');
  });

  const names: MmrmCovarianceName[] = [
    'unstructured',
    'heterogeneous-toeplitz',
    'heterogeneous-ar1',
    'compound-symmetry'
  ];
  for (const name of names) {
    it(`${name}: equals the Hessian of the Kullback–Leibler divergence`, () => {
      const structure = mmrmCovariance(name, V);
      const q = structure.size;
      const theta0 = structure.start(sigma0);
      const s0 = new Float64Array(V * V);
      structure.sigma(theta0, s0);
      const inverses = data.patterns.map((p) => block(s0, V, p.visits).w);
      const info = mmrmInformation(data, structure, theta0, s0, inverses);

      const s = new Float64Array(V * V);
      const kl = (theta: Float64Array): number => {
        structure.sigma(theta, s);
        let sum = 0;
        for (const p of data.patterns) {
          const { w, logDet } = block(s, V, p.visits);
          const k = p.visits.length;
          let tr = 0;
          for (let a = 0; a < k; a++)
            for (let b = 0; b < k; b++) tr += w[a * k + b] * s0[p.visits[b] * V + p.visits[a]];
          sum += 0.5 * p.nSubjects * (logDet + tr);
        }
        return sum;
      };
      const h = 1e-4;
      const at = (i: number, di: number, j: number, dj: number): number => {
        const t = Float64Array.from(theta0);
        t[i] += di;
        t[j] += dj;
        return kl(t);
      };
      for (let i = 0; i < q; i++)
        for (let j = 0; j < q; j++) {
          const expected =
            (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h);
          expect(
            Math.abs(info[i * q + j] - expected),
            `I[${i},${j}] ${info[i * q + j]} vs ${expected}`
          ).toBeLessThan(1e-6 * Math.sqrt(info[i * q + i] * info[j * q + j]));
        }
    });
  }
});
