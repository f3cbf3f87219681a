// Log-rank test for k ≥ 2 groups, as R survival::survdiff(Surv(time, status) ~ group) (rho = 0):
// observed and expected events per group, hypergeometric variance, chi-square on (groups with
// expected > 0) − 1 degrees of freedom. Reference: Mantel (1966); Peto & Peto (1972), JRSS A 135:185–207.
import { StatsInputError } from './errors';
import { chiSquareSurvival } from './distributions';
import { cholesky, choleskySolve } from './linalg';
import { sortSurvival } from './survivalInput';
import { assertSameLength } from './validate';

export interface LogRankGroup {
  group: number;
  n: number;
  observed: number;
  expected: number;
}

export interface LogRankResult {
  statistic: number;
  df: number;
  pValue: number;
  /** one entry per distinct group label, ascending */
  groups: LogRankGroup[];
}

/** Log-rank test of equal survival across the groups labelled in `group` (any numbers). */
export function logRankTest(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  group: ArrayLike<number>
): LogRankResult {
  const order = sortSurvival(time, status);
  const n = order.length;
  assertSameLength(group, n, 'group', 'time');
  const labels = Array.from(new Set(Array.from(group))).sort((a, b) => a - b);
  labels.forEach((g) => {
    if (!Number.isFinite(g)) throw new StatsInputError(`group contains a non-finite label (${g})`);
  });
  const k = labels.length;
  if (k < 2) throw new StatsInputError(`logRankTest needs at least 2 groups, got ${k}`);
  const index = new Map(labels.map((g, i) => [g, i]));
  const g = new Uint32Array(n);
  const atRisk = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    g[i] = index.get(group[i]) as number;
    atRisk[g[i]]++;
  }
  const groups: LogRankGroup[] = labels.map((label, j) => ({
    group: label,
    n: atRisk[j],
    observed: 0,
    expected: 0
  }));
  const V = new Float64Array(k * k);
  const dByGroup = new Float64Array(k);
  const leaving = new Float64Array(k);
  let total = n;
  let i = 0;
  while (i < n) {
    const t = time[order[i]];
    dByGroup.fill(0);
    leaving.fill(0);
    let d = 0;
    while (i < n && time[order[i]] === t) {
      const j = g[order[i]];
      if (status[order[i]] === 1) {
        dByGroup[j]++;
        d++;
      }
      leaving[j]++;
      i++;
    }
    if (d > 0) {
      const varFactor = total > 1 ? (d * (total - d)) / (total - 1) : 0;
      for (let a = 0; a < k; a++) {
        const pa = atRisk[a] / total;
        groups[a].observed += dByGroup[a];
        groups[a].expected += d * pa;
        for (let b = 0; b < k; b++) V[a * k + b] += varFactor * pa * ((a === b ? 1 : 0) - atRisk[b] / total);
      }
    }
    for (let a = 0; a < k; a++) atRisk[a] -= leaving[a];
    total -= leaving.reduce((s, v) => s + v, 0);
  }
  const events = groups.reduce((s, x) => s + x.observed, 0);
  if (events === 0) throw new StatsInputError('logRankTest: there are no events');
  // as survdiff: keep groups with expected > 0 and drop the first of them
  const keep = groups.map((x, j) => (x.expected > 0 ? j : -1)).filter((j) => j >= 0);
  const df = keep.length - 1;
  let statistic = 0;
  if (df >= 1) {
    const idx = keep.slice(1);
    const p = idx.length;
    const Vs = new Float64Array(p * p);
    const diff = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      diff[a] = groups[idx[a]].observed - groups[idx[a]].expected;
      for (let b = 0; b < p; b++) Vs[a * p + b] = V[idx[a] * k + idx[b]];
    }
    const L = cholesky(Vs, p);
    if (L === null) throw new StatsInputError('logRankTest: the variance matrix is singular');
    const sol = choleskySolve(L, p, diff);
    for (let a = 0; a < p; a++) statistic += sol[a] * diff[a];
  }
  return { statistic, df, pValue: df >= 1 ? chiSquareSurvival(statistic, df) : 1, groups };
}
