/**
 * Explicit solver with automatic stiffness detection: integrates with Dormand–Prince 5(4)
 * running Hairer's stiffness test, and when the test fires continues from that point with
 * the Rosenbrock 4(3) solver until `resetStepSize` (the next twin). The decision is per
 * twin, so a twin's result does not depend on which twins ran before it.
 *
 * Reference: E. Hairer, G. Wanner, Solving Ordinary Differential Equations II, 2nd ed.,
 * Springer 1996, section IV.2 (stiffness detection in DOPRI5), and DOPRI5's IASTI/NONSTI test.
 */
import { DormandPrince45 } from './dormandPrince45';
import type { LevelCrossing, OdeSolver, OdeSystem, OutputSink, SolverOptions } from './odeSystem';
import { Rosenbrock4 } from './rosenbrock4';

export class AutoStiffSolver implements OdeSolver {
  readonly explicit: DormandPrince45;
  readonly stiff: Rosenbrock4;
  /** Time at which the current twin switched to the stiff solver; NaN while explicit. */
  switchedAt = Number.NaN;
  private label = '';

  constructor(dimension: number, options: Partial<SolverOptions> = {}) {
    this.explicit = new DormandPrince45(dimension, options);
    this.explicit.detectStiffness = true;
    this.stiff = new Rosenbrock4(dimension, options);
  }

  get context(): string {
    return this.label;
  }

  set context(value: string) {
    this.label = value;
    this.explicit.context = value;
    this.stiff.context = value;
  }

  resetStepSize(): void {
    this.switchedAt = Number.NaN;
    this.explicit.resetStepSize();
    this.stiff.resetStepSize();
  }

  get carriedSize(): number {
    return 1 + this.explicit.carriedSize + this.stiff.carriedSize;
  }

  saveCarried(out: Float64Array, offset: number): void {
    out[offset] = this.switchedAt;
    this.explicit.saveCarried(out, offset + 1);
    this.stiff.saveCarried(out, offset + 1 + this.explicit.carriedSize);
  }

  restoreCarried(from: Float64Array, offset: number): void {
    this.switchedAt = from[offset];
    this.explicit.restoreCarried(from, offset + 1);
    this.stiff.restoreCarried(from, offset + 1 + this.explicit.carriedSize);
  }

  integrate(
    system: OdeSystem,
    t0: number,
    t1: number,
    y: Float64Array,
    times: Float64Array,
    k: number,
    sink: OutputSink,
    crossing?: LevelCrossing
  ): number {
    if (this.switchedAt !== this.switchedAt) {
      k = this.explicit.integrate(system, t0, t1, y, times, k, sink, crossing);
      const stiffAt = this.explicit.stiffAt;
      if (stiffAt !== stiffAt || crossing?.crossed) return k;
      this.switchedAt = stiffAt;
      t0 = stiffAt;
    }
    return this.stiff.integrate(system, t0, t1, y, times, k, sink, crossing);
  }
}
