// Derivative-free minimisation in a box: the Nelder–Mead simplex method, the fallback when BFGS
// cannot proceed (f or its gradient not finite, a line search without progress, BFGS's share of
// the budget spent).
// References: Lagarias, Reeds, Wright & Wright (1998), "Convergence properties of the Nelder–Mead
// simplex method in low dimensions", SIAM J. Optim. 9:112–147 (the algorithm as written there,
// and the initial simplex of MATLAB's fminsearch: 5 % of each nonzero coordinate, else 0.00025);
// Gao & Han (2012), "Implementing the Nelder–Mead simplex algorithm with adaptive parameters",
// Comput. Optim. Appl. 51:259–277 (expansion 1 + 2/n, contraction 0.75 − 1/(2n), shrink 1 − 1/n,
// which keep the method from stalling as n grows; for n = 1 the standard 2, 1/2, 1/2).
// Trial points are projected onto the box; f = +Infinity is just a bad vertex.
import type { CountedObjective } from './countedObjective';

/** How a Nelder–Mead run ended. */
export type NelderMeadStatus = 'converged' | 'collapsed' | 'not-finite' | 'budget';

export interface NelderMeadOutcome {
  status: NelderMeadStatus;
  value: number;
  iterations: number;
}

/**
 * Minimises from `x` (inside the box; overwritten with the best vertex). Converged when the
 * vertices' values differ by at most relativeTolerance·(|f_best| + relativeTolerance), as R's
 * optim(method = "Nelder-Mead") tests, and lie within √relativeTolerance (relative) of the best, or ('collapsed') when the simplex has shrunk below 1e-10
 * (relative) around a finite best value; 'not-finite' when it collapses with f infinite at every vertex.
 * Never evaluates f more than up to `limit` evaluations in all.
 */
export function nelderMead(
  obj: CountedObjective,
  x: Float64Array,
  relativeTolerance: number,
  limit: number
): NelderMeadOutcome {
  const n = x.length;
  const m = n + 1;
  const sx = new Float64Array(m * n); // vertex k is sx[k*n .. k*n + n), kept sorted by value
  const sf = new Float64Array(m);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const row = new Float64Array(n);
  const expand = n > 1 ? 1 + 2 / n : 2;
  const contract = n > 1 ? 0.75 - 1 / (2 * n) : 0.5;
  const shrink = n > 1 ? 1 - 1 / n : 0.5;
  let iterations = 0;

  const finish = (status: NelderMeadStatus): NelderMeadOutcome => {
    x.set(sx.subarray(0, n));
    return { status, value: sf[0], iterations };
  };

  // initial simplex (fminsearch's), steps turned inward at an upper bound
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) sx[k * n + i] = x[i];
    if (k > 0) {
      const i = k - 1;
      let step = x[i] !== 0 ? 0.05 * x[i] : 0.00025;
      if (x[i] + step > obj.upper[i] || x[i] + step < obj.lower[i]) step = -step;
      sx[k * n + i] = x[i] + step;
    }
    const v = sx.subarray(k * n, k * n + n);
    obj.project(v);
    if (obj.evaluations + 1 > limit) {
      sf.fill(Infinity, k);
      sortSimplex(sx, sf, n, row);
      return finish('budget');
    }
    sf[k] = obj.value(v);
  }

  for (;;) {
    sortSimplex(sx, sf, n, row);
    const best = sf[0];
    const worst = sf[n];
    // both f and x must have settled, as in fminsearch (TolFun and TolX): values alone can agree
    // on two sides of a minimum; x is known to about √relativeTolerance where f is that flat
    if (
      worst - best <= relativeTolerance * (Math.abs(best) + relativeTolerance) &&
      withinRadius(sx, n, Math.sqrt(relativeTolerance))
    ) {
      return finish('converged');
    }
    if (withinRadius(sx, n, COLLAPSE)) return finish(best < Infinity ? 'collapsed' : 'not-finite');
    iterations++;

    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += sx[k * n + i] / n;
    const xw = sx.subarray(n * n, n * n + n);

    // reflection
    if (obj.evaluations + 1 > limit) return finish('budget');
    const fr = trial(obj, centroid, xw, -1, xr);
    if (fr < best) {
      // expansion, greedy as in Lagarias et al.: keep the better of the two
      if (obj.evaluations + 1 > limit) return finish('budget');
      const fe = trial(obj, centroid, xw, -expand, xe);
      if (fe < fr) replaceWorst(sx, sf, n, xe, fe);
      else replaceWorst(sx, sf, n, xr, fr);
      continue;
    }
    if (fr < sf[n - 1]) {
      replaceWorst(sx, sf, n, xr, fr);
      continue;
    }
    // contraction: outside when the reflected point beats the worst, inside otherwise
    if (obj.evaluations + 1 > limit) return finish('budget');
    const outside = fr < worst;
    const fc = trial(obj, centroid, xw, outside ? -contract : contract, xe);
    if (outside ? fc <= fr : fc < worst) {
      replaceWorst(sx, sf, n, xe, fc);
      continue;
    }
    // shrink towards the best vertex
    for (let k = 1; k < m; k++) {
      if (obj.evaluations + 1 > limit) return finish('budget');
      const v = sx.subarray(k * n, k * n + n);
      for (let i = 0; i < n; i++) v[i] = sx[i] + shrink * (v[i] - sx[i]);
      obj.project(v);
      sf[k] = obj.value(v);
    }
  }
}

/** Writes c + t·(xw − c), projected onto the box, into out and returns f there. */
function trial(
  obj: CountedObjective,
  c: Float64Array,
  xw: Float64Array,
  t: number,
  out: Float64Array
): number {
  for (let i = 0; i < c.length; i++) out[i] = c[i] + t * (xw[i] - c[i]);
  obj.project(out);
  return obj.value(out);
}

function replaceWorst(sx: Float64Array, sf: Float64Array, n: number, v: Float64Array, fv: number): void {
  sx.set(v, n * n);
  sf[n] = fv;
}

/** Insertion sort of the vertices by value (n + 1 ≤ a handful; stable, so ties keep their age). */
function sortSimplex(sx: Float64Array, sf: Float64Array, n: number, row: Float64Array): void {
  for (let k = 1; k <= n; k++) {
    const fk = sf[k];
    if (!(fk < sf[k - 1])) continue;
    row.set(sx.subarray(k * n, k * n + n));
    let j = k - 1;
    while (j >= 0 && fk < sf[j]) {
      sf[j + 1] = sf[j];
      sx.copyWithin((j + 1) * n, j * n, j * n + n);
      j--;
    }
    sf[j + 1] = fk;
    sx.set(row, (j + 1) * n);
  }
}

// A simplex this small pins every coordinate to 1e-10 of max(|x|, 1): far finer than any MAP
// estimate means, yet well above rounding, so a flat stretch of f cannot hold the simplex
// shrinking until the budget is gone.
const COLLAPSE = 1e-10;

/** Whether every vertex lies within radius·max(|x|, 1) of the best in every coordinate. */
function withinRadius(sx: Float64Array, n: number, radius: number): boolean {
  for (let k = 1; k <= n; k++) {
    for (let i = 0; i < n; i++) {
      if (Math.abs(sx[k * n + i] - sx[i]) > radius * Math.max(Math.abs(sx[i]), 1)) return false;
    }
  }
  return true;
}
