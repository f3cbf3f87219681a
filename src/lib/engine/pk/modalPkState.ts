/**
 * The amounts of a linear compartment system held in modal coordinates z = V⁻¹x, with
 * the constant input rate currently running (infusions) also in modal form w = V⁻¹r.
 *
 * Advancing by s hours is exact:  z_k ← z_k·e^{μ_k s} + w_k·(e^{μ_k s} − 1)/μ_k.
 * A bolus adds V⁻¹·(amount·e_target); an infusion start/stop changes w. Amounts are read
 * back as x_i = Σ_k V_ik z_k. Every operation is O(modes), so evaluating a regimen of any
 * length costs O(doses + output times), O(1) per output time.
 */
import type { LinearCompartmentModes } from './linearCompartmentModes';

export class ModalPkState {
  readonly z: Float64Array;
  readonly w: Float64Array;
  time = 0;

  constructor(readonly modes: LinearCompartmentModes) {
    this.z = new Float64Array(modes.size);
    this.w = new Float64Array(modes.size);
  }

  /** Empties every compartment and stops every infusion at time t. */
  reset(t: number): void {
    this.z.fill(0);
    this.w.fill(0);
    this.time = t;
  }

  /** Propagates the state exactly to time t ≥ current time. */
  advanceTo(t: number): void {
    const s = t - this.time;
    if (s === 0) return;
    const { z, w } = this;
    const mu = this.modes.mu;
    for (let k = 0; k < z.length; k++) {
      const x = mu[k] * s;
      const e = Math.exp(x);
      z[k] = z[k] * e + (w[k] === 0 ? 0 : (w[k] * Math.expm1(x)) / mu[k]);
    }
    this.time = t;
  }

  addBolus(compartment: number, amount: number): void {
    const n = this.modes.size;
    const vInv = this.modes.vInv;
    for (let k = 0; k < n; k++) this.z[k] += vInv[k * n + compartment] * amount;
  }

  /** Changes the input rate into a compartment by `delta` (amount per hour). */
  addRate(compartment: number, delta: number): void {
    const n = this.modes.size;
    const vInv = this.modes.vInv;
    for (let k = 0; k < n; k++) this.w[k] += vInv[k * n + compartment] * delta;
  }

  /** Amount in a compartment at the current time. */
  amount(compartment: number): number {
    const n = this.modes.size;
    const v = this.modes.v;
    let a = 0;
    for (let k = 0; k < n; k++) a += v[compartment * n + k] * this.z[k];
    return a;
  }

  /**
   * Writes coefficients so that amount(compartment) at time `time + s` equals
   * constant + Σ_k coef[k]·e^{μ_k s} until the next event; returns the constant.
   * This is what the hybrid PK/PD path evaluates inside the PD right-hand side.
   */
  expansion(compartment: number, coef: Float64Array): number {
    const n = this.modes.size;
    const { v, mu } = this.modes;
    let constant = 0;
    for (let k = 0; k < n; k++) {
      const vik = v[compartment * n + k];
      const particular = this.w[k] / mu[k];
      coef[k] = vik * (this.z[k] + particular);
      constant -= vik * particular;
    }
    return constant;
  }

  /**
   * Adds the state at the nominal time of a dose in a regimen that has been given every
   * `interval` hours forever before (the pre-dose steady state: the dose itself is not
   * included). A bolus (duration 0) or an infusion of `amount` over `duration`, each
   * entering `lag` hours after its nominal time; requires lag + duration ≤ interval.
   */
  addSteadyState(compartment: number, amount: number, interval: number, duration: number, lag: number): void {
    if (!(interval > 0)) throw new RangeError(`steady-state interval must be positive, got ${interval}`);
    if (lag + duration > interval) {
      throw new RangeError(
        `steady state needs lag + infusion duration (${lag + duration} h) within the interval (${interval} h)`
      );
    }
    const n = this.modes.size;
    const { vInv, mu } = this.modes;
    for (let k = 0; k < n; k++) {
      const b = vInv[k * n + compartment] * amount;
      const m = mu[k];
      const perPeriod = -Math.expm1(m * interval); // 1 − e^{μτ}
      let contribution: number;
      if (duration > 0) {
        const rate = b / duration;
        // input over [lag, lag+D] of each past period, seen at the period end
        contribution = ((rate * Math.expm1(m * duration)) / m) * Math.exp(m * (interval - lag - duration));
      } else {
        contribution = b * Math.exp(m * (interval - lag));
      }
      this.z[k] += contribution / perPeriod;
    }
  }
}
