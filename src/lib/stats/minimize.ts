// Robust minimisation of a smooth function of a few parameters in a box: the optimiser behind
// MAP estimation (issue: a twin of one real patient). BFGS first (bfgs.ts), restarted from its
// solution with a fresh Hessian until f stops improving; Nelder–Mead (nelderMead.ts) from the
// best point when BFGS cannot go on. Checked against R's optim (tests/golden/optimize).
//
// Bounds: x0 is projected onto the box, and so is every trial point (a projected line search and
// a projected simplex), so f is never asked outside the box; finite differences turn inward at a
// bound. This is simpler than treating the outside as +Infinity, which would leave a minimum on a
// bound with a nonzero gradient that never passes the convergence test.
import { bfgs, type BfgsOutcome } from './bfgs';
import { CountedObjective } from './countedObjective';
import { StatsInputError } from './errors';
import { nelderMead, type NelderMeadOutcome } from './nelderMead';

export interface MinimizeOptions {
  /** Lower bounds (−Infinity for none); length n. */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none); length n. */
  upper?: Float64Array;
  /** Converged when every component of the projected gradient is at most this (default 1e-6). */
  gradientTolerance?: number;
  /** Converged when a step lowers f by at most this × (|f| + this), as R's reltol (default 1e-10). */
  relativeTolerance?: number;
  /** Evaluations of f allowed, gradients included (default 2000). */
  maxEvaluations?: number;
  /** BFGS restarts from its solution with a fresh Hessian while f still improves (default 2). */
  restarts?: number;
  /** Analytic gradient written into g (one evaluation per call); else central differences. */
  gradient?: (x: Float64Array, g: Float64Array) => void;
}

export interface MinimizeResult {
  x: Float64Array;
  /** f at x; +Infinity (never NaN) when no finite value was found. */
  value: number;
  converged: boolean;
  method: 'bfgs' | 'nelder-mead';
  iterations: number;
  /** Evaluations of f, each gradient's included (2n per finite-difference gradient, 1 analytic). */
  evaluations: number;
  message: string;
}

const DEFAULTS = {
  gradientTolerance: 1e-6,
  relativeTolerance: 1e-10,
  maxEvaluations: 2000,
  restarts: 2
};

// BFGS may spend this share of the budget; the rest is kept for the Nelder–Mead fallback.
const BFGS_SHARE = 0.75;

/**
 * Minimises f from x0 within the box [lower, upper]. f may return NaN or ±Infinity where it is
 * undefined: such points count as +Infinity. f (and `gradient`) receive work arrays that change
 * between calls: they must not keep them. Throws StatsInputError for bad x0, bounds or options.
 */
export function minimize(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  options: MinimizeOptions = {}
): MinimizeResult {
  const n = x0.length;
  const { lower, upper } = checkBounds(x0, options);
  const gradientTolerance = checkTolerance(options, 'gradientTolerance');
  const relativeTolerance = checkTolerance(options, 'relativeTolerance');
  const maxEvaluations = checkCount(options, 'maxEvaluations', 1);
  const restarts = checkCount(options, 'restarts', 0);

  const obj = new CountedObjective(f, options.gradient, lower, upper, maxEvaluations);
  const x = Float64Array.from(x0);
  obj.project(x);
  const value = obj.value(x);
  if (n === 0) {
    const message = 'no parameters: f evaluated once';
    return { x, value, converged: true, method: 'bfgs', iterations: 0, evaluations: 1, message };
  }

  let why: string;
  let iterations = 0;
  if (value === Infinity) {
    why = 'f is not finite at x0';
  } else {
    const g = new Float64Array(n);
    const limit = Math.floor(BFGS_SHARE * maxEvaluations);
    if (!obj.affords(obj.gradientCost, limit)) {
      why = 'the budget has no room for a gradient';
    } else if (!obj.gradient(x, value, g)) {
      why = 'the gradient is not finite at x0';
    } else {
      const run = bfgs(obj, x, value, g, gradientTolerance, relativeTolerance, limit);
      iterations = run.iterations;
      if (isConverged(run)) {
        // Restarts guard against a stop on f's relative change with a poor Hessian approximation
        // (Nash 1990, §15.3; R's vmmin restarts the same way); after the gradient test a restart
        // would stop at once, so only a 'relative' stop is restarted.
        let test = run.status;
        let v = run.value;
        for (let r = 0; r < restarts && test === 'relative'; r++) {
          const next = bfgs(obj, x, v, g, gradientTolerance, relativeTolerance, limit);
          iterations += next.iterations;
          const improved = v - next.value > relativeTolerance * (Math.abs(v) + relativeTolerance);
          v = next.value; // x has moved to next's best point, never a worse one
          if (!isConverged(next)) break;
          test = next.status;
          if (!improved) break;
        }
        const why =
          test === 'gradient'
            ? `projected gradient ≤ ${gradientTolerance}`
            : `f changed by ≤ ${relativeTolerance} relative`;
        const message = `BFGS converged (${why})`;
        const evaluations = obj.evaluations;
        return { x, value: v, converged: true, method: 'bfgs', iterations, evaluations, message };
      }
      why = BFGS_FAILURE[run.status];
    }
  }

  const nm = nelderMead(obj, x, relativeTolerance, maxEvaluations);
  iterations += nm.iterations;
  const converged = nm.status === 'converged' || nm.status === 'collapsed';
  const message = `${nelderMeadMessage(nm, maxEvaluations)}, after BFGS stopped: ${why}`;
  const evaluations = obj.evaluations;
  return { x, value: nm.value, converged, method: 'nelder-mead', iterations, evaluations, message };
}

const BFGS_FAILURE: Record<BfgsOutcome['status'], string> = {
  gradient: '',
  relative: '',
  'line-search': 'its line search made no progress',
  'gradient-not-finite': 'the gradient is not finite',
  budget: `it used its share (${BFGS_SHARE * 100} %) of the evaluation budget`
};

function isConverged(run: BfgsOutcome): boolean {
  return run.status === 'gradient' || run.status === 'relative';
}

function nelderMeadMessage(nm: NelderMeadOutcome, maxEvaluations: number): string {
  switch (nm.status) {
    case 'converged':
      return 'Nelder–Mead converged (f and x settled over the simplex within relativeTolerance)';
    case 'collapsed':
      return 'Nelder–Mead converged (simplex collapsed to 1e-10)';
    case 'not-finite':
      return 'not converged: f is not finite anywhere Nelder–Mead looked';
    case 'budget':
      return `not converged: evaluation budget (maxEvaluations = ${maxEvaluations}) used up by Nelder–Mead`;
  }
}

function checkBounds(
  x0: Float64Array,
  options: MinimizeOptions
): { lower: Float64Array; upper: Float64Array } {
  const n = x0.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x0[i])) {
      throw new StatsInputError(
        `minimize: x0[${i}] is ${x0[i]}; every starting value must be a finite number`
      );
    }
  }
  const lower = options.lower ?? new Float64Array(n).fill(-Infinity);
  const upper = options.upper ?? new Float64Array(n).fill(Infinity);
  checkLength('lower', lower, n);
  checkLength('upper', upper, n);
  for (let i = 0; i < n; i++) {
    if (
      Number.isNaN(lower[i]) ||
      Number.isNaN(upper[i]) ||
      lower[i] > upper[i] ||
      lower[i] === Infinity ||
      upper[i] === -Infinity
    ) {
      throw new StatsInputError(
        `minimize: bounds of parameter ${i} are [${lower[i]}, ${upper[i]}]; need lower ≤ upper, lower < Infinity, upper > -Infinity`
      );
    }
  }
  return { lower, upper };
}

function checkLength(name: 'lower' | 'upper', bound: Float64Array, n: number): void {
  if (bound.length !== n) {
    throw new StatsInputError(
      `minimize: ${name} has ${bound.length} values but x0 has ${n}; give one bound per parameter`
    );
  }
}

function checkTolerance(options: MinimizeOptions, name: 'gradientTolerance' | 'relativeTolerance'): number {
  const v = options[name] ?? DEFAULTS[name];
  if (!Number.isFinite(v) || v < 0) {
    throw new StatsInputError(`minimize: ${name} is ${v}; allowed: a finite number ≥ 0`);
  }
  return v;
}

function checkCount(options: MinimizeOptions, name: 'maxEvaluations' | 'restarts', min: number): number {
  const v = options[name] ?? DEFAULTS[name];
  if (!Number.isInteger(v) || v < min) {
    throw new StatsInputError(`minimize: ${name} is ${v}; allowed: an integer ≥ ${min}`);
  }
  return v;
}
