// Quasi-Newton minimisation in a box: BFGS with a projected backtracking (Armijo) line search.
// References: Nocedal & Wright, "Numerical Optimization", 2nd ed. (2006), Algorithm 6.1 (BFGS on
// the inverse Hessian, eq. 6.17; the first step's scaling, eq. 6.20; skipping the update when
// sᵀy ≤ 0, §6.1), Algorithm 3.1 (backtracking) with the safeguarded quadratic interpolation of §3.5;
// Bertsekas (1982), "Projected Newton methods for optimization problems with simple constraints",
// SIAM J. Control Optim. 20:221–246, and Kelley (1999), "Iterative Methods for Optimization",
// §5.5 (projected BFGS: variables held at a bound leave the quasi-Newton step; trial points are
// projected onto the box).
//
// Why backtracking rather than a strong-Wolfe search (N&W Algorithms 3.5/3.6): a projected path
// bends at the box's faces, where the curvature condition has no clean meaning; a point where f
// is not finite is handled by simply stepping back; and each Wolfe test needs a gradient, 2n
// evaluations with finite differences, where Armijo needs one value. R's optim(method = "BFGS")
// (Nash 1990, "Compact Numerical Methods for Computers", Algorithm 21) makes the same choice.
import type { CountedObjective } from './countedObjective';

/** How a BFGS run ended: converged by the gradient or by f, or failed. */
export type BfgsStatus = 'gradient' | 'relative' | 'line-search' | 'gradient-not-finite' | 'budget';

export interface BfgsOutcome {
  status: BfgsStatus;
  value: number;
  iterations: number;
}

const ARMIJO = 1e-4; // sufficient decrease constant c₁ (N&W §3.1)

/**
 * Minimises from `x` (inside the box, f(x) = `fx` finite, gradient `g`), starting from the identity
 * as inverse Hessian. On return `x`, `g` hold the best point reached and its gradient (the gradient
 * is stale after 'budget' and 'gradient-not-finite'). Stops when the projected gradient's largest
 * component is ≤ `gradientTolerance`, when a step lowers f by no more than
 * relativeTolerance·(|f| + relativeTolerance) (R's reltol test), when the line search cannot
 * progress from a fresh identity Hessian, or before the evaluation count would pass `limit`.
 */
export function bfgs(
  obj: CountedObjective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  gradientTolerance: number,
  relativeTolerance: number,
  limit: number
): BfgsOutcome {
  const n = x.length;
  const { lower, upper } = obj;
  const H = new Float64Array(n * n);
  const p = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  const free = new Uint8Array(n);
  let f = fx;
  let fresh = true; // H is the unscaled identity
  let iterations = 0;
  setIdentity(H, n);

  for (;;) {
    if (projectedGradientNorm(x, g, lower, upper) <= gradientTolerance)
      return { status: 'gradient', value: f, iterations };

    // quasi-Newton step over the free variables; a variable at a bound that the gradient pushes
    // outward stays there (Bertsekas 1982)
    for (let i = 0; i < n; i++) {
      free[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) ? 0 : 1;
    }
    let gp = 0;
    for (let i = 0; i < n; i++) {
      let pi = 0;
      if (free[i]) {
        for (let j = 0; j < n; j++) if (free[j]) pi -= H[i * n + j] * g[j];
        if ((x[i] <= lower[i] && pi < 0) || (x[i] >= upper[i] && pi > 0)) pi = 0;
      }
      p[i] = pi;
      gp += g[i] * pi;
    }
    if (!(gp < 0)) {
      if (fresh) return { status: 'line-search', value: f, iterations };
      setIdentity(H, n);
      fresh = true;
      continue;
    }

    // projected backtracking line search (N&W Algorithm 3.1 with §3.5's interpolation)
    let alpha = 1;
    if (fresh) {
      // an unscaled identity has no sense of scale: keep the first step within max(|x|∞, 1)
      let pMax = 0;
      let xMax = 1;
      for (let i = 0; i < n; i++) {
        pMax = Math.max(pMax, Math.abs(p[i]));
        xMax = Math.max(xMax, Math.abs(x[i]));
      }
      if (pMax > xMax) alpha = xMax / pMax;
    }
    let ft = Infinity;
    let accepted = false;
    for (;;) {
      let moved = false;
      let dg = 0;
      for (let i = 0; i < n; i++) {
        let v = x[i] + alpha * p[i];
        if (v < lower[i]) v = lower[i];
        else if (v > upper[i]) v = upper[i];
        xt[i] = v;
        if (Math.abs(v - x[i]) > Number.EPSILON * Math.max(Math.abs(x[i]), 1)) moved = true;
        dg += g[i] * (v - x[i]);
      }
      if (!moved) break;
      if (obj.evaluations + 1 > limit) return { status: 'budget', value: f, iterations };
      ft = obj.value(xt);
      if (ft <= f + ARMIJO * dg) {
        accepted = true;
        break;
      }
      if (ft === Infinity) {
        alpha *= 0.1;
      } else {
        // minimiser of the quadratic through f(0), f'(0) = gp and f(alpha), kept in [0.1, 0.5]·alpha
        const curvature = ft - f - gp * alpha;
        const next = curvature > 0 ? (-gp * alpha * alpha) / (2 * curvature) : 0.5 * alpha;
        alpha = Math.min(0.5 * alpha, Math.max(0.1 * alpha, next));
      }
    }
    if (!accepted) {
      if (fresh) return { status: 'line-search', value: f, iterations };
      setIdentity(H, n);
      fresh = true;
      continue;
    }

    // the step is taken: x, f move to the better point before anything else can fail
    for (let i = 0; i < n; i++) s[i] = xt[i] - x[i];
    x.set(xt);
    const fOld = f;
    f = ft;
    iterations++;
    if (!obj.affords(obj.gradientCost, limit)) return { status: 'budget', value: f, iterations };
    if (!obj.gradient(x, f, gt)) return { status: 'gradient-not-finite', value: f, iterations };
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      y[i] = gt[i] - g[i];
      sy += s[i] * y[i];
      ss += s[i] * s[i];
      yy += y[i] * y[i];
    }
    g.set(gt);
    if (fOld - f <= relativeTolerance * (Math.abs(fOld) + relativeTolerance)) {
      return { status: 'relative', value: f, iterations };
    }

    // BFGS update of the inverse Hessian (N&W eq. 6.17), skipped without positive curvature
    if (sy > 1e-10 * Math.sqrt(ss * yy)) {
      if (fresh) {
        // scale the identity to the curvature just seen before the first update (N&W eq. 6.20)
        const scale = sy / yy;
        for (let i = 0; i < n; i++) H[i * n + i] = scale;
        fresh = false;
      }
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      const rho = 1 / sy;
      const c = rho * rho * yHy + rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += c * s[i] * s[j] - rho * (s[i] * Hy[j] + Hy[i] * s[j]);
        }
      }
    }
  }
}

/** max |P(x − g) − x|, the first-order optimality measure in a box (as in L-BFGS-B). */
function projectedGradientNorm(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array
): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    let v = x[i] - g[i];
    if (v < lower[i]) v = lower[i];
    else if (v > upper[i]) v = upper[i];
    norm = Math.max(norm, Math.abs(v - x[i]));
  }
  return norm;
}

function setIdentity(H: Float64Array, n: number): void {
  H.fill(0);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
}
