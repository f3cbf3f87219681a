// Multiplicity-adjusted p-values by Bonferroni, Holm (1979) or Hochberg (1988), as R p.adjust.
// Reference: Holm, Scand. J. Stat. 6:65–70; Hochberg, Biometrika 75:800–802.
import { StatsInputError } from './errors';

export type PAdjustMethod = 'bonferroni' | 'holm' | 'hochberg';

/** Adjusted p-values in the input order; every p must lie in [0, 1]. */
export function pAdjust(p: ReadonlyArray<number>, method: PAdjustMethod): number[] {
  const n = p.length;
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new StatsInputError(`p[${i}] must be a probability in [0, 1], got ${v}`);
  });
  if (n <= 1) return p.slice();
  const out = new Array<number>(n);
  if (method === 'bonferroni') {
    for (let i = 0; i < n; i++) out[i] = Math.min(1, n * p[i]);
    return out;
  }
  // stable ordering like R's order()
  const idx = Array.from({ length: n }, (_, i) => i);
  if (method === 'holm') {
    idx.sort((a, b) => p[a] - p[b] || a - b);
    let run = 0;
    for (let r = 0; r < n; r++) {
      run = Math.max(run, (n - r) * p[idx[r]]);
      out[idx[r]] = Math.min(1, run);
    }
    return out;
  }
  if (method === 'hochberg') {
    idx.sort((a, b) => p[b] - p[a] || a - b);
    let run = Infinity;
    for (let r = 0; r < n; r++) {
      run = Math.min(run, (r + 1) * p[idx[r]]);
      out[idx[r]] = Math.min(1, run);
    }
    return out;
  }
  throw new StatsInputError(`pAdjust: unknown method ${String(method)}`);
}
