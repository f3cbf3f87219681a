/**
 * Stiff solver: 4-stage Rosenbrock method of order 4 with an embedded order-3 error
 * estimate (Shampine's parameter set, L. F. Shampine, "Implementation of Rosenbrock
 * methods", ACM TOMS 8 (1982) 93–113; coefficients and stage layout as in Press et al.,
 * Numerical Recipes, 2nd ed., section 16.6, routine `stiff`).
 *
 * Each step solves four linear systems with one LU factorisation of (1/(γh)·I − J).
 * J comes from the system's analytic `jacobian` when it has one (preferred: Rosenbrock
 * order conditions assume the exact Jacobian), otherwise from forward differences.
 * Steps are clipped to land exactly on requested output times, so outputs carry the
 * method's full order; level crossings (event times) are located on a cubic Hermite
 * interpolant of the step.
 */
import {
  defaultSolverOptions,
  type LevelCrossing,
  type OdeSolver,
  type OdeSystem,
  type OutputSink,
  type SolverOptions
} from './odeSystem';
import { StepLimitError } from './stepLimitError';

const GAM = 1 / 2;
const A21 = 2,
  A31 = 48 / 25,
  A32 = 6 / 25;
const C21 = -8,
  C31 = 372 / 25,
  C32 = 12 / 5,
  C41 = -112 / 125,
  C42 = -54 / 125,
  C43 = -2 / 5;
const B1 = 19 / 9,
  B2 = 1 / 2,
  B3 = 25 / 108,
  B4 = 125 / 108;
const E1 = 17 / 54,
  E2 = 7 / 36,
  E4 = 125 / 108;
const C1X = 1 / 2,
  C2X = -3 / 2,
  C3X = 121 / 50,
  C4X = 29 / 250;
const A2X = 1,
  A3X = 3 / 5;
const SQRT_EPS = 1.4901161193847656e-8;

export class Rosenbrock4 implements OdeSolver {
  readonly dimension: number;
  context = '';
  options: SolverOptions;
  acceptedSteps = 0;
  rejectedSteps = 0;

  private readonly jac: Float64Array;
  private readonly lu: Float64Array;
  private readonly pivot: Int32Array;
  private readonly f0: Float64Array;
  private readonly f1: Float64Array;
  private readonly dfdt: Float64Array;
  private readonly g1: Float64Array;
  private readonly g2: Float64Array;
  private readonly g3: Float64Array;
  private readonly g4: Float64Array;
  private readonly yStage: Float64Array;
  private readonly yNew: Float64Array;
  private readonly fNew: Float64Array;
  private readonly yOut: Float64Array;
  private hCarry = 0;

  constructor(dimension: number, options: Partial<SolverOptions> = {}) {
    const n = dimension;
    this.dimension = n;
    this.options = { ...defaultSolverOptions, ...options };
    this.jac = new Float64Array(n * n);
    this.lu = new Float64Array(n * n);
    this.pivot = new Int32Array(n);
    this.f0 = new Float64Array(n);
    this.f1 = new Float64Array(n);
    this.dfdt = new Float64Array(n);
    this.g1 = new Float64Array(n);
    this.g2 = new Float64Array(n);
    this.g3 = new Float64Array(n);
    this.g4 = new Float64Array(n);
    this.yStage = new Float64Array(n);
    this.yNew = new Float64Array(n);
    this.fNew = new Float64Array(n);
    this.yOut = new Float64Array(n);
  }

  resetStepSize(): void {
    this.hCarry = 0;
  }

  readonly carriedSize = 1;

  saveCarried(out: Float64Array, offset: number): void {
    out[offset] = this.hCarry;
  }

  restoreCarried(from: Float64Array, offset: number): void {
    this.hCarry = from[offset];
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
    const n = this.dimension;
    const { rtol, atol, maxSteps, maxStepSize } = this.options;
    const { f0, dfdt, g1, g2, g3, g4, yStage, yNew, fNew, lu, pivot } = this;
    this.acceptedSteps = 0;
    this.rejectedSteps = 0;
    if (crossing) crossing.crossed = false;
    if (!(t1 > t0)) return k;
    let t = t0;
    system.rhs(t, y, f0);
    let h = this.hCarry > 0 ? this.hCarry : this.initialStep(y, f0, t1 - t0);
    let steps = 0;
    let needJacobian = true;
    while (t < t1) {
      if (++steps > maxSteps) {
        throw new StepLimitError(this.context, t, Array.from(y), `more than ${maxSteps} steps`);
      }
      if (h > maxStepSize) h = maxStepSize;
      // Land exactly on the next output time or the end of the interval.
      let target = t1;
      if (k < times.length && times[k] < target && times[k] > t) target = times[k];
      let hh = h;
      let hitsTarget = false;
      if (t + 1.01 * hh >= target) {
        hh = target - t;
        hitsTarget = true;
      }
      if (hh <= 1e-14 * Math.max(1, Math.abs(t))) {
        if (hitsTarget && target === t1) break;
        throw new StepLimitError(this.context, t, Array.from(y), `step size underflow (h=${hh})`);
      }
      if (needJacobian) {
        this.evaluateJacobian(system, t, y);
        needJacobian = false;
      }
      // LU of (1/(γh) I − J)
      const jac = this.jac;
      const shift = 1 / (GAM * hh);
      for (let i = 0; i < n * n; i++) lu[i] = -jac[i];
      for (let i = 0; i < n; i++) lu[i * n + i] += shift;
      if (!luDecompose(lu, pivot, n)) {
        throw new StepLimitError(this.context, t, Array.from(y), 'singular iteration matrix');
      }
      for (let i = 0; i < n; i++) g1[i] = f0[i] + hh * C1X * dfdt[i];
      luSolve(lu, pivot, n, g1);
      for (let i = 0; i < n; i++) yStage[i] = y[i] + A21 * g1[i];
      system.rhs(t + A2X * hh, yStage, fNew);
      for (let i = 0; i < n; i++) g2[i] = fNew[i] + hh * C2X * dfdt[i] + (C21 * g1[i]) / hh;
      luSolve(lu, pivot, n, g2);
      for (let i = 0; i < n; i++) yStage[i] = y[i] + A31 * g1[i] + A32 * g2[i];
      system.rhs(t + A3X * hh, yStage, fNew);
      for (let i = 0; i < n; i++) g3[i] = fNew[i] + hh * C3X * dfdt[i] + (C31 * g1[i] + C32 * g2[i]) / hh;
      luSolve(lu, pivot, n, g3);
      for (let i = 0; i < n; i++)
        g4[i] = fNew[i] + hh * C4X * dfdt[i] + (C41 * g1[i] + C42 * g2[i] + C43 * g3[i]) / hh;
      luSolve(lu, pivot, n, g4);
      let err = 0;
      for (let i = 0; i < n; i++) {
        yNew[i] = y[i] + B1 * g1[i] + B2 * g2[i] + B3 * g3[i] + B4 * g4[i];
        const e = E1 * g1[i] + E2 * g2[i] + E4 * g4[i];
        const sk = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
        err += (e / sk) ** 2;
      }
      err = Math.sqrt(err / n);
      if (!(err === err)) {
        throw new StepLimitError(this.context, t, Array.from(y), 'state or derivative is not finite');
      }
      if (err <= 1) {
        this.acceptedSteps++;
        const tNew = hitsTarget ? target : t + hh;
        system.rhs(tNew, yNew, fNew);
        if (crossing && yNew[crossing.stateIndex] >= crossing.level) {
          const tc = this.locateCrossing(t, hh, y, crossing.stateIndex, crossing.level);
          this.hermiteAt(t, hh, tc, y);
          y.set(this.yOut);
          crossing.crossed = true;
          crossing.time = tc;
          this.hCarry = hh;
          return k;
        }
        y.set(yNew);
        f0.set(fNew);
        t = tNew;
        while (k < times.length && times[k] <= t) {
          sink.record(k, times[k], y);
          k++;
        }
        const fac = Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.25)));
        // A step clipped to an output time says little about the natural step size.
        h = hitsTarget ? Math.max(h, hh * fac) : hh * fac;
        needJacobian = true;
      } else {
        this.rejectedSteps++;
        h = hh * Math.max(0.2, 0.9 * Math.pow(err, -1 / 3));
      }
    }
    this.hCarry = h;
    return k;
  }

  private evaluateJacobian(system: OdeSystem, t: number, y: Float64Array): void {
    const n = this.dimension;
    const { jac, f0, f1, dfdt, yStage } = this;
    const dt = SQRT_EPS * Math.max(1, Math.abs(t));
    system.rhs(t + dt, y, f1);
    for (let i = 0; i < n; i++) dfdt[i] = (f1[i] - f0[i]) / dt;
    if (system.jacobian) {
      system.jacobian(t, y, jac);
      return;
    }
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(y[i]));
    yStage.set(y);
    for (let j = 0; j < n; j++) {
      const d = SQRT_EPS * Math.max(Math.abs(y[j]), 1e-6 * scale, 1e-12);
      yStage[j] = y[j] + d;
      system.rhs(t, yStage, f1);
      yStage[j] = y[j];
      for (let i = 0; i < n; i++) jac[i * n + j] = (f1[i] - f0[i]) / d;
    }
  }

  private initialStep(y: Float64Array, f: Float64Array, span: number): number {
    const { rtol, atol, maxStepSize } = this.options;
    let norm = 0;
    for (let i = 0; i < this.dimension; i++)
      norm = Math.max(norm, Math.abs(f[i]) / (atol + rtol * Math.abs(y[i])));
    const h = norm > 0 ? 0.01 * Math.pow(norm, -0.25) : 0.01 * span;
    return Math.min(h, span, maxStepSize);
  }

  /** Cubic Hermite interpolation on the accepted step (uses f0 at t and fNew at t+h). */
  private hermiteAt(t: number, h: number, s: number, y: Float64Array): void {
    const th = (s - t) / h;
    const h00 = (1 + 2 * th) * (1 - th) ** 2;
    const h10 = th * (1 - th) ** 2;
    const h01 = th * th * (3 - 2 * th);
    const h11 = th * th * (th - 1);
    const { yNew, f0, fNew, yOut } = this;
    for (let i = 0; i < this.dimension; i++) {
      yOut[i] = h00 * y[i] + h10 * h * f0[i] + h01 * yNew[i] + h11 * h * fNew[i];
    }
  }

  private locateCrossing(t: number, h: number, y: Float64Array, index: number, level: number): number {
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 60 && hi - lo > 1e-16; it++) {
      const mid = 0.5 * (lo + hi);
      this.hermiteAt(t, h, t + mid * h, y);
      if (this.yOut[index] >= level) hi = mid;
      else lo = mid;
    }
    return t + hi * h;
  }
}

/** In-place LU with partial pivoting of an n×n row-major matrix; false if singular. */
export function luDecompose(a: Float64Array, pivot: Int32Array, n: number): boolean {
  for (let c = 0; c < n; c++) {
    let p = c;
    let max = Math.abs(a[c * n + c]);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(a[r * n + c]);
      if (v > max) {
        max = v;
        p = r;
      }
    }
    if (max === 0) return false;
    pivot[c] = p;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const tmp = a[c * n + j];
        a[c * n + j] = a[p * n + j];
        a[p * n + j] = tmp;
      }
    }
    const d = a[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const m = (a[r * n + c] /= d);
      if (m !== 0) for (let j = c + 1; j < n; j++) a[r * n + j] -= m * a[c * n + j];
    }
  }
  return true;
}

/** Solves LU x = b in place (b becomes x) using the factorisation of luDecompose. */
export function luSolve(a: Float64Array, pivot: Int32Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const p = pivot[i];
    if (p !== i) {
      const tmp = b[i];
      b[i] = b[p];
      b[p] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= a[i * n + j] * b[j];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
}
