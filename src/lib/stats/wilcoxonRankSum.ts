// Wilcoxon rank-sum (Mann–Whitney) test of arm vs control, as R wilcox.test(arm, control,
// correct = TRUE, exact = NULL): exact p-value when both samples have < 50 values and there are no
// ties, otherwise the normal approximation with tie and continuity corrections.
// Reference: Hollander & Wolfe (1999), Nonparametric Statistical Methods, §4.1; R stats:::wilcox.test.default.
import { StatsInputError } from './errors';
import { normalCdf, normalSurvival } from './distributions';
import { assertFiniteArray } from './validate';

export interface WilcoxonRankSumResult {
  /** W = rank sum of the arm − nArm (nArm + 1) / 2, as R reports it */
  statistic: number;
  pValue: number;
  exact: boolean;
  /** z of the normal approximation (after continuity correction); null when exact */
  z: number | null;
  nArm: number;
  nControl: number;
}

/** Midranks of the pooled sample and the tie-correction sum Σ(t³ − t). */
export function midranks(
  x: ArrayLike<number>,
  y: ArrayLike<number>
): { ranks: Float64Array; tieSum: number } {
  const n = x.length + y.length;
  const values = new Float64Array(n);
  for (let i = 0; i < x.length; i++) values[i] = x[i];
  for (let i = 0; i < y.length; i++) values[x.length + i] = y[i];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let tieSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j + 2) / 2;
    for (let l = i; l <= j; l++) ranks[order[l]] = r;
    const t = j - i + 1;
    tieSum += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieSum };
}

/**
 * Counts of the Mann–Whitney U statistic for sample sizes (m, n): the number of arrangements giving
 * each u = 0..m·n, from the recursion f(u; i, j) = f(u − j; i − 1, j) + f(u; i, j − 1) (additions only).
 * Shared with hodgesLehmann (R qwilcox).
 */
export function mannWhitneyCounts(m: number, n: number): Float64Array {
  const size = m * n + 1;
  // prev[j] holds the counts for (i − 1, j); cur[j] for (i, j)
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n; j++) {
    const f = new Float64Array(size);
    f[0] = 1;
    prev.push(f);
  }
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [];
    const f0 = new Float64Array(size);
    f0[0] = 1;
    cur.push(f0);
    for (let j = 1; j <= n; j++) {
      const f = new Float64Array(size);
      const a = prev[j];
      const b = cur[j - 1];
      const maxU = i * j;
      for (let u = 0; u <= maxU; u++) f[u] = (u >= j ? a[u - j] : 0) + b[u];
      cur.push(f);
    }
    prev = cur;
  }
  return prev[n];
}

/** R's choice of the exact distribution: both samples under 50 values and no ties. */
export function useExactRankSum(nx: number, ny: number, tieSum: number): boolean {
  return nx < 50 && ny < 50 && tieSum === 0;
}

/** Two-sided Wilcoxon rank-sum test; each sample needs at least one value. */
export function wilcoxonRankSum(arm: ArrayLike<number>, control: ArrayLike<number>): WilcoxonRankSumResult {
  assertFiniteArray(arm, 'arm');
  assertFiniteArray(control, 'control');
  const nx = arm.length;
  const ny = control.length;
  if (nx < 1) throw new StatsInputError('arm needs at least 1 observation');
  if (ny < 1) throw new StatsInputError('control needs at least 1 observation');
  const { ranks, tieSum } = midranks(arm, control);
  let rankSum = 0;
  for (let i = 0; i < nx; i++) rankSum += ranks[i];
  const statistic = rankSum - (nx * (nx + 1)) / 2;
  if (useExactRankSum(nx, ny, tieSum)) {
    const counts = mannWhitneyCounts(nx, ny);
    let total = 0;
    for (let u = 0; u < counts.length; u++) total += counts[u];
    let tail = 0;
    if (statistic > (nx * ny) / 2) {
      for (let u = statistic; u < counts.length; u++) tail += counts[u];
    } else {
      for (let u = 0; u <= statistic; u++) tail += counts[u];
    }
    return {
      statistic,
      pValue: Math.min(1, (2 * tail) / total),
      exact: true,
      z: null,
      nArm: nx,
      nControl: ny
    };
  }
  const N = nx + ny;
  const sigma = Math.sqrt(((nx * ny) / 12) * (N + 1 - tieSum / (N * (N - 1))));
  if (!(sigma > 0)) throw new StatsInputError('all observations are tied; the rank-sum test is undefined');
  let z = statistic - (nx * ny) / 2;
  z = (z - Math.sign(z) * 0.5) / sigma;
  const pValue = Math.min(1, 2 * Math.min(normalCdf(z), normalSurvival(z)));
  return { statistic, pValue, exact: false, z, nArm: nx, nControl: ny };
}
