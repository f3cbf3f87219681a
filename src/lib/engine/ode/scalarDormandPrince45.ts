/**
 * Dormand–Prince 5(4) for one scalar state y' = f(t, y) driven by a known function of
 * time (the hybrid PK/PD path with a one-state PD model). The same method, error test,
 * PI step-size controller and order-4 continuous extension as `DormandPrince45`, with
 * every quantity in a local variable. Before the stages of a step the solver announces
 * the step (t, h) to the system, so the system can evaluate its driver at all six stage
 * times together (for sums of exponentials: one or two exp per term per step instead of
 * one per term per stage).
 *
 * Reference: E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential
 * Equations I, 2nd ed., Springer 1993, section II.5 and II.6 (DOPRI5).
 */
import { DP5 } from './dormandPrinceTableau';
import { defaultSolverOptions, type SolverOptions } from './odeSystem';
import { StepLimitError } from './stepLimitError';

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

/** Stage indices passed to `StagedScalarSystem.f` (copy into module-level constants). */
export const STAGES = {
  STAGE_START: 0,
  STAGE_2: 1,
  STAGE_3: 2,
  STAGE_4: 3,
  STAGE_5: 4,
  STAGE_END: 5
} as const;
const { STAGE_START, STAGE_2, STAGE_3, STAGE_4, STAGE_5, STAGE_END } = STAGES;

/**
 * A scalar system whose right-hand side is evaluated stage by stage. `beginIntegration`
 * fixes the start time of an integration (the driver at STAGE_START), `beginStep`
 * announces a step of size h from the current step start (stage times t + c_i·h with
 * c = 1/5, 3/10, 4/5, 8/9, 1) and `acceptStep` moves the step start to its end.
 */
export interface StagedScalarSystem {
  beginIntegration(t: number): void;
  beginStep(h: number): void;
  acceptStep(): void;
  /** dy/dt at time t (the time of `stage`) for the state value y. */
  f(stage: number, t: number, y: number): number;
  /** Receives y at output index k, time t. */
  record(k: number, t: number, y: number): void;
}

const LOG_1EM4 = Math.log(1e-4);

export class ScalarDormandPrince45 {
  context = '';
  options: SolverOptions;
  /** The state at the end of the last `integrate` call. */
  y = 0;
  /** Accepted and rejected steps of the last `integrate` call (for diagnostics). */
  acceptedSteps = 0;
  rejectedSteps = 0;
  private hStart = 0;

  constructor(options: Partial<SolverOptions> = {}) {
    this.options = { ...defaultSolverOptions, ...options };
  }

  readonly carriedSize = 1;

  saveCarried(out: Float64Array, offset: number): void {
    out[offset] = this.hStart;
  }

  restoreCarried(from: Float64Array, offset: number): void {
    this.hStart = from[offset];
  }

  resetStepSize(): void {
    this.hStart = 0;
  }

  /**
   * Integrates from (t0, y0) to t1; output times times[k..] in (t0, t1] go to
   * `system.record`. The final state is left in `this.y`; returns the next output index.
   */
  integrate(
    system: StagedScalarSystem,
    t0: number,
    t1: number,
    y0: number,
    times: Float64Array,
    k: number
  ): number {
    const { rtol, atol, maxSteps, maxStepSize } = this.options;
    this.y = y0;
    if (!(t1 > t0)) return k;
    const nTimes = times.length;
    system.beginIntegration(t0);
    let y = y0;
    let k1 = system.f(STAGE_START, t0, y);
    let h = this.hStart > 0 ? this.hStart : this.initialStep(system, t0, y, k1, t1 - t0);
    let firstAccepted = true;
    let accepted = 0;
    let rejected = 0;
    let t = t0;
    let logFacOld = LOG_1EM4;
    let rejectedLast = false;
    let steps = 0;
    for (;;) {
      if (++steps > maxSteps) {
        throw new StepLimitError(this.context, t, [y], `more than ${maxSteps} steps`);
      }
      if (h > maxStepSize) h = maxStepSize;
      let last = false;
      let hh = h;
      if (t + 1.01 * h >= t1) {
        hh = t1 - t;
        last = true;
      }
      if (hh <= 1e-14 * Math.max(1, Math.abs(t))) {
        if (last) break;
        throw new StepLimitError(this.context, t, [y], `step size underflow (h=${hh})`);
      }
      const tNew = last ? t1 : t + hh;
      system.beginStep(hh);
      const k2 = system.f(STAGE_2, t + C2 * hh, y + hh * A21 * k1);
      const k3 = system.f(STAGE_3, t + C3 * hh, y + hh * (A31 * k1 + A32 * k2));
      const k4 = system.f(STAGE_4, t + C4 * hh, y + hh * (A41 * k1 + A42 * k2 + A43 * k3));
      const k5 = system.f(STAGE_5, t + C5 * hh, y + hh * (A51 * k1 + A52 * k2 + A53 * k3 + A54 * k4));
      const k6 = system.f(STAGE_END, tNew, y + hh * (A61 * k1 + A62 * k2 + A63 * k3 + A64 * k4 + A65 * k5));
      const yNew = y + hh * (A71 * k1 + A73 * k3 + A74 * k4 + A75 * k5 + A76 * k6);
      const k7 = system.f(STAGE_END, tNew, yNew);
      const e = hh * (E1 * k1 + E3 * k3 + E4 * k4 + E5 * k5 + E6 * k6 + E7 * k7);
      const ay = Math.abs(y);
      const ayNew = Math.abs(yNew);
      const err = Math.abs(e) / (atol + rtol * (ay > ayNew ? ay : ayNew));
      if (!(err === err)) {
        throw new StepLimitError(this.context, t, [y], 'state or derivative is not finite');
      }
      const logErr = Math.log(err > 1e-300 ? err : 1e-300);
      if (err <= 1) {
        accepted++;
        let fac = Math.exp(EXPO1 * logErr - BETA * logFacOld);
        fac = Math.max(FAC_MAX_INV, Math.min(FAC_MIN_INV, fac / SAFE));
        let hNew = hh / fac;
        if (firstAccepted) {
          // Next restart: the step the controller proposes after this one (see DormandPrince45).
          this.hStart = rejected === 0 ? hNew : hh;
          firstAccepted = false;
        }
        logFacOld = err > 1e-4 ? logErr : LOG_1EM4;
        if (rejectedLast && hNew > hh) hNew = hh;
        rejectedLast = false;
        if (k < nTimes && times[k] < tNew) {
          // Hairer's continuous extension of order 4 on [t, tNew].
          const r2 = yNew - y;
          const r3 = hh * k1 - r2;
          const r4 = r2 - hh * k7 - r3;
          const r5 = hh * (D1 * k1 + D3 * k3 + D4 * k4 + D5 * k5 + D6 * k6 + D7 * k7);
          do {
            const s = times[k];
            const theta = (s - t) / hh;
            const theta1 = 1 - theta;
            system.record(k, s, y + theta * (r2 + theta1 * (r3 + theta * (r4 + theta1 * r5))));
            k++;
          } while (k < nTimes && times[k] < tNew);
        }
        if (k < nTimes && times[k] === tNew) system.record(k++, tNew, yNew);
        system.acceptStep();
        y = yNew;
        k1 = k7;
        t = tNew;
        if (last) break;
        h = hNew;
      } else {
        rejected++;
        h = hh / Math.min(FAC_MIN_INV, Math.exp(EXPO1 * logErr) / SAFE);
        rejectedLast = true;
      }
    }
    this.y = y;
    this.acceptedSteps = accepted;
    this.rejectedSteps = rejected;
    return k;
  }

  /** Hairer's HINIT for order 5, on the driver's step-end stage. */
  private initialStep(system: StagedScalarSystem, t: number, y: number, f0: number, span: number): number {
    const { rtol, atol, maxStepSize } = this.options;
    const sk = atol + rtol * Math.abs(y);
    const dnf = (f0 / sk) ** 2;
    const dny = (y / sk) ** 2;
    let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    h = Math.min(h, maxStepSize, span);
    system.beginStep(h);
    const f1 = system.f(STAGE_END, t + h, y + h * f0);
    const der2 = Math.abs(f1 - f0) / sk / h;
    const der12 = Math.max(der2, Math.sqrt(dnf));
    const h1 = der12 <= 1e-15 ? Math.max(1e-6, h * 1e-3) : Math.pow(0.01 / der12, 1 / 5);
    return Math.min(100 * h, h1, maxStepSize);
  }
}
