/**
 * Adaptive explicit Runge–Kutta method of Dormand & Prince, order 5 with embedded order 4,
 * with Hairer's continuous extension of order 4 for output between steps and the PI
 * ("Lund-stabilised") step-size controller.
 *
 * Reference: E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential
 * Equations I, 2nd ed., Springer 1993, section II.5 and II.6, and their Fortran code
 * DOPRI5 (coefficients, dense output `contd5`, step control and `hinit` follow it).
 *
 * With `detectStiffness` on, each accepted step also runs Hairer's stiffness test: the
 * estimate h·|λ| ≈ h·‖k7 − k6‖ / ‖y_{n+1} − ŷ6‖ of the dominant eigenvalue along the step
 * (stages 6 and 7 are at the same time), compared with the stability boundary 3.25 of the
 * method. After 15 such steps (reset by 6 in a row below it, counted across calls until
 * `resetStepSize`), `integrate` returns early at the end of the step with `stiffAt` set.
 *
 * All work arrays are allocated once in the constructor; `integrate` allocates nothing.
 * A system may bring its own step (`OdeSystem.step`, printed for a compiled model text by
 * `dormandPrinceStepSource`), used in place of `attemptStep` with the same arithmetic.
 */
import {
  defaultSolverOptions,
  type DormandPrinceWork,
  type LevelCrossing,
  type OdeSolver,
  type OdeSystem,
  type OutputSink,
  type SolverOptions
} from './odeSystem';
import { StepLimitError } from './stepLimitError';
import { DP5 } from './dormandPrinceTableau';

const {
  C2,
  C3,
  C4,
  C5,
  A21,
  A31,
  A32,
  A41,
  A42,
  A43,
  A51,
  A52,
  A53,
  A54,
  A61,
  A62,
  A63,
  A64,
  A65,
  A71,
  A73,
  A74,
  A75,
  A76,
  E1,
  E3,
  E4,
  E5,
  E6,
  E7,
  D1,
  D3,
  D4,
  D5,
  D6,
  D7,
  SAFE,
  BETA,
  EXPO1,
  FAC_MIN_INV,
  FAC_MAX_INV
} = DP5;

const CROSSING_BISECTIONS = 60;
// Hairer's stiffness test (DOPRI5): stability boundary of DP5 along the negative real
// axis, number of steps beyond it that declare stiffness, steps within it that forgive.
const STIFF_H_LAMBDA = 3.25;
const STIFF_STEPS = 15;
const NONSTIFF_STEPS = 6;
const LOG_1EM4 = Math.log(1e-4);

export class DormandPrince45 implements OdeSolver {
  readonly dimension: number;
  context = '';
  options: SolverOptions;
  /** Accepted and rejected steps of the last `integrate` call (for diagnostics). */
  acceptedSteps = 0;
  rejectedSteps = 0;
  /** Run the stiffness test on every accepted step (off by default). */
  detectStiffness = false;
  /** Where the last `integrate` call found the problem stiff and stopped; NaN if it did not. */
  stiffAt = Number.NaN;

  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly k7: Float64Array;
  private readonly yStage: Float64Array;
  private readonly yNew: Float64Array;
  private readonly yOut: Float64Array;
  // Dense-output coefficients of the last accepted step.
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  /** The same arrays as one object, for a system's own `step`. */
  private readonly work: DormandPrinceWork;
  private hStart = 0;
  private stiffSteps = 0;
  private nonStiffSteps = 0;

  constructor(dimension: number, options: Partial<SolverOptions> = {}) {
    this.dimension = dimension;
    this.options = { ...defaultSolverOptions, ...options };
    const n = dimension;
    this.k1 = new Float64Array(n);
    this.k2 = new Float64Array(n);
    this.k3 = new Float64Array(n);
    this.k4 = new Float64Array(n);
    this.k5 = new Float64Array(n);
    this.k6 = new Float64Array(n);
    this.k7 = new Float64Array(n);
    this.yStage = new Float64Array(n);
    this.yNew = new Float64Array(n);
    this.yOut = new Float64Array(n);
    this.r2 = new Float64Array(n);
    this.r3 = new Float64Array(n);
    this.r4 = new Float64Array(n);
    this.r5 = new Float64Array(n);
    const { k1, k2, k3, k4, k5, k6, k7, yStage, yNew } = this;
    this.work = { k1, k2, k3, k4, k5, k6, k7, yStage, yNew };
  }

  resetStepSize(): void {
    this.hStart = 0;
    this.stiffSteps = 0;
    this.nonStiffSteps = 0;
  }

  readonly carriedSize = 3;

  saveCarried(out: Float64Array, offset: number): void {
    out[offset] = this.hStart;
    out[offset + 1] = this.stiffSteps;
    out[offset + 2] = this.nonStiffSteps;
  }

  restoreCarried(from: Float64Array, offset: number): void {
    this.hStart = from[offset];
    this.stiffSteps = from[offset + 1];
    this.nonStiffSteps = from[offset + 2];
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
    const { maxSteps, maxStepSize } = this.options;
    const { k1, k7, yNew } = this;
    const n = this.dimension;
    this.acceptedSteps = 0;
    this.rejectedSteps = 0;
    this.stiffAt = Number.NaN;
    if (crossing) crossing.crossed = false;
    if (!(t1 > t0)) return k;
    system.rhs(t0, y, k1);
    // Each call starts just after a discontinuity (a dose): a new start-up step guess is
    // far cheaper than the rejections a step carried over from a smooth stretch causes.
    // Regimens repeat, so the first accepted step of the previous interval is a good guess.
    let h = this.hStart > 0 ? this.hStart : this.initialStep(system, t0, y, t1 - t0);
    let firstAccepted = true;
    let t = t0;
    let logFacOld = LOG_1EM4;
    let rejectedLast = false;
    let steps = 0;
    for (;;) {
      if (++steps > maxSteps) {
        throw new StepLimitError(this.context, t, Array.from(y), `more than ${maxSteps} steps`);
      }
      if (h > maxStepSize) h = maxStepSize;
      let last = false;
      let hTry = h;
      if (t + 1.01 * h >= t1) {
        hTry = t1 - t;
        last = true;
      }
      if (hTry <= 1e-14 * Math.max(1, Math.abs(t))) {
        if (last) break; // the remaining interval is below round-off
        throw new StepLimitError(this.context, t, Array.from(y), `step size underflow (h=${hTry})`);
      }
      const hh = hTry;
      const tNew = last ? t1 : t + hh;
      const err =
        system.step !== undefined
          ? system.step(t, hh, tNew, y, this.work, this.options.rtol, this.options.atol)
          : this.attemptStep(system, t, hh, tNew, y);
      if (!(err === err)) {
        throw new StepLimitError(this.context, t, Array.from(y), 'state or derivative is not finite');
      }
      const logErr = Math.log(err > 1e-300 ? err : 1e-300);
      if (err <= 1) {
        this.acceptedSteps++;
        // PI controller: fac = err^expo1 / errOld^beta, in one exp.
        let fac = Math.exp(EXPO1 * logErr - BETA * logFacOld);
        fac = Math.max(FAC_MAX_INV, Math.min(FAC_MIN_INV, fac / SAFE));
        let hNew = hh / fac;
        if (firstAccepted) {
          // The next restart begins with the step the controller proposes after this
          // one (or this one if it had to shrink): probing beyond it lands steps at the
          // edge of the error test, where the estimate is least reliable.
          this.hStart = this.rejectedSteps === 0 ? hNew : hh;
          firstAccepted = false;
        }
        logFacOld = err > 1e-4 ? logErr : LOG_1EM4;
        if (rejectedLast && hNew > hh) hNew = hh;
        rejectedLast = false;
        const needDense = (k < times.length && times[k] < tNew) || crossing !== undefined;
        if (needDense) this.prepareDense(hh, y);
        if (crossing && yNew[crossing.stateIndex] >= crossing.level) {
          const tc = this.locateCrossing(t, hh, y, crossing.stateIndex, crossing.level);
          while (k < times.length && times[k] <= tc) {
            this.denseAt(t, hh, times[k], y);
            sink.record(k, times[k], this.yOut);
            k++;
          }
          this.denseAt(t, hh, tc, y);
          y.set(this.yOut);
          crossing.crossed = true;
          crossing.time = tc;
          return k;
        }
        while (k < times.length && times[k] <= tNew) {
          if (times[k] === tNew) {
            sink.record(k, tNew, yNew);
          } else {
            this.denseAt(t, hh, times[k], y);
            sink.record(k, times[k], this.yOut);
          }
          k++;
        }
        if (this.detectStiffness && !last && this.stiffnessTest(hh)) {
          y.set(yNew);
          this.stiffAt = tNew;
          return k;
        }
        // Element loops rather than TypedArray.set: for a few states a builtin call per
        // step costs more than the copy (measured 13% of BM1's full ODE). k7 is the next k1.
        for (let i = 0; i < n; i++) {
          y[i] = yNew[i];
          k1[i] = k7[i];
        }
        t = tNew;
        if (last) break;
        h = hNew;
      } else {
        this.rejectedSteps++;
        // err^expo1 only here: an accepted step needs the PI factor alone (one exp per step).
        h = hh / Math.min(FAC_MIN_INV, Math.exp(EXPO1 * logErr) / SAFE);
        rejectedLast = true;
      }
    }
    return k;
  }

  /**
   * One Dormand–Prince step of size h from (t, y): stages into k2..k7, the 5th-order
   * result into yNew; returns the scaled RMS error estimate. Kept apart from the control
   * loop so that V8 can inline the system's rhs here.
   */
  private attemptStep(system: OdeSystem, t: number, hh: number, tNew: number, y: Float64Array): number {
    const n = this.dimension;
    const { rtol, atol } = this.options;
    const { k1, k2, k3, k4, k5, k6, k7, yStage, yNew } = this;
    for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * A21 * k1[i];
    system.rhs(t + C2 * hh, yStage, k2);
    for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * (A31 * k1[i] + A32 * k2[i]);
    system.rhs(t + C3 * hh, yStage, k3);
    for (let i = 0; i < n; i++) yStage[i] = y[i] + hh * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    system.rhs(t + C4 * hh, yStage, k4);
    for (let i = 0; i < n; i++)
      yStage[i] = y[i] + hh * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    system.rhs(t + C5 * hh, yStage, k5);
    for (let i = 0; i < n; i++)
      yStage[i] = y[i] + hh * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    system.rhs(tNew, yStage, k6);
    for (let i = 0; i < n; i++)
      yNew[i] = y[i] + hh * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    system.rhs(tNew, yNew, k7);
    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = hh * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const yi = Math.abs(y[i]);
      const yn = Math.abs(yNew[i]);
      const sk = atol + rtol * (yi > yn ? yi : yn);
      const r = e / sk;
      err += r * r;
    }
    return Math.sqrt(err / n);
  }

  /**
   * Hairer's stiffness test on the step just accepted (yStage still holds the stage-6
   * state, k6 and k7 the derivatives at the step end from it and from yNew). True when
   * the problem has been found stiff.
   */
  private stiffnessTest(h: number): boolean {
    const { k6, k7, yNew, yStage } = this;
    let num = 0;
    let den = 0;
    for (let i = 0; i < this.dimension; i++) {
      const df = k7[i] - k6[i];
      const dy = yNew[i] - yStage[i];
      num += df * df;
      den += dy * dy;
    }
    if (den > 0 && h * h * num > STIFF_H_LAMBDA * STIFF_H_LAMBDA * den) {
      this.nonStiffSteps = 0;
      return ++this.stiffSteps >= STIFF_STEPS;
    }
    if (++this.nonStiffSteps >= NONSTIFF_STEPS) this.stiffSteps = 0;
    return false;
  }

  /** Hairer's dense-output coefficients for the step from (t, y) of size h. */
  private prepareDense(h: number, y: Float64Array): void {
    const { k1, k3, k4, k5, k6, k7, yNew, r2, r3, r4, r5 } = this;
    for (let i = 0; i < this.dimension; i++) {
      const yDiff = yNew[i] - y[i];
      const bSpl = h * k1[i] - yDiff;
      r2[i] = yDiff;
      r3[i] = bSpl;
      r4[i] = yDiff - h * k7[i] - bSpl;
      r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
    }
  }

  /** Continuous extension at time s in [t, t+h] into yOut. */
  private denseAt(t: number, h: number, s: number, y: Float64Array): void {
    const theta = (s - t) / h;
    const theta1 = 1 - theta;
    const { r2, r3, r4, r5, yOut } = this;
    for (let i = 0; i < this.dimension; i++) {
      yOut[i] = y[i] + theta * (r2[i] + theta1 * (r3[i] + theta * (r4[i] + theta1 * r5[i])));
    }
  }

  /** Bisection on the dense output for the first time the component reaches `level`. */
  private locateCrossing(t: number, h: number, y: Float64Array, index: number, level: number): number {
    if (y[index] >= level) return t;
    let lo = 0;
    let hi = 1;
    const { r2, r3, r4, r5 } = this;
    const y0 = y[index];
    for (let it = 0; it < CROSSING_BISECTIONS && hi - lo > 1e-16; it++) {
      const th = 0.5 * (lo + hi);
      const th1 = 1 - th;
      const v = y0 + th * (r2[index] + th1 * (r3[index] + th * (r4[index] + th1 * r5[index])));
      if (v >= level) hi = th;
      else lo = th;
    }
    return t + hi * h;
  }

  /** Initial step size guess (Hairer's HINIT for order 5). Uses k1 = f(t, y); clobbers k2, yStage. */
  private initialStep(system: OdeSystem, t: number, y: Float64Array, span: number): number {
    const n = this.dimension;
    const { rtol, atol, maxStepSize } = this.options;
    const { k1, k2, yStage } = this;
    let dnf = 0;
    let dny = 0;
    for (let i = 0; i < n; i++) {
      const sk = atol + rtol * Math.abs(y[i]);
      dnf += (k1[i] / sk) ** 2;
      dny += (y[i] / sk) ** 2;
    }
    let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    h = Math.min(h, maxStepSize, span);
    for (let i = 0; i < n; i++) yStage[i] = y[i] + h * k1[i];
    system.rhs(t + h, yStage, k2);
    let der2 = 0;
    for (let i = 0; i < n; i++) {
      const sk = atol + rtol * Math.abs(y[i]);
      der2 += ((k2[i] - k1[i]) / sk) ** 2;
    }
    der2 = Math.sqrt(der2) / h;
    const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
    const h1 = der12 <= 1e-15 ? Math.max(1e-6, h * 1e-3) : Math.pow(0.01 / der12, 1 / 5);
    return Math.min(100 * h, h1, maxStepSize);
  }
}
