// The problem a minimiser works on: f with its box and its evaluation budget, shared by bfgs and
// nelderMead so that both count evaluations and treat bad values the same way.
import { numericGradient } from './numericGradient';

/**
 * Wraps f so that every call is counted and a value that is NaN or ±Infinity comes back as
 * +Infinity (a point where the model breaks down is simply a bad point; NaN never reaches the
 * minimiser's comparisons). Gradients are the caller's analytic one (counted as one evaluation)
 * or central differences (counted as the evaluations they make).
 */
export class CountedObjective {
  evaluations = 0;
  readonly n: number;
  private readonly value$: (x: Float64Array) => number;

  constructor(
    private readonly f: (x: Float64Array) => number,
    private readonly analyticGradient: ((x: Float64Array, g: Float64Array) => void) | undefined,
    readonly lower: Float64Array,
    readonly upper: Float64Array,
    readonly maxEvaluations: number
  ) {
    this.n = lower.length;
    // bound once per problem, not per iteration
    this.value$ = (x) => this.value(x);
  }

  /** f(x), with NaN and ±Infinity as +Infinity. */
  value(x: Float64Array): number {
    this.evaluations++;
    const v = this.f(x);
    return v === v && v !== -Infinity ? v : Infinity;
  }

  /** Evaluations a gradient costs at most. */
  get gradientCost(): number {
    return this.analyticGradient ? 1 : 2 * this.n;
  }

  /** Whether `count` more evaluations fit within `limit` (by default the whole budget). */
  affords(count: number, limit = this.maxEvaluations): boolean {
    return this.evaluations + count <= limit;
  }

  /** Writes the gradient at x (where f(x) = fx) into g; false when a component is not finite. */
  gradient(x: Float64Array, fx: number, g: Float64Array): boolean {
    if (this.analyticGradient) {
      this.evaluations++;
      this.analyticGradient(x, g);
    } else {
      numericGradient(this.value$, x, g, fx, this.lower, this.upper);
    }
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return false;
    return true;
  }

  /** Projects x onto the box in place. */
  project(x: Float64Array): void {
    for (let i = 0; i < x.length; i++) {
      if (x[i] < this.lower[i]) x[i] = this.lower[i];
      else if (x[i] > this.upper[i]) x[i] = this.upper[i];
    }
  }
}
