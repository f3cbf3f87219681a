/**
 * Eigen-decomposition ("modes") of the linear mammillary compartment system
 *
 *   depot (optional) --ka--> central <--k12/k21--> peripheral 1
 *                               |    <--k13/k31--> peripheral 2
 *                              k10
 *
 * A = V Λ V⁻¹ with Λ real and negative. In modal coordinates z = V⁻¹x every mode decays
 * independently, so the state after any time step, bolus or constant-rate input is
 * closed form and costs one exp per mode — O(1) per output time whatever the number of
 * doses. This is the state-propagation form of the ADVAN-style analytical solutions of
 * A. Abuhelwa, D. Foster, R. Upton, "ADVAN-style analytical solutions for common
 * pharmacokinetic models", J Pharmacol Toxicol Methods 73 (2015) 42–48: their formulas
 * are these modes written out per compartment.
 *
 * Eigenvalues: 1-cmt −k10; 2-cmt roots of λ² − (k10+k12+k21)λ + k10·k21; 3-cmt roots of
 * the cubic (Gibaldi & Perrier, Pharmacokinetics, 2nd ed., appendix C) by the
 * trigonometric formula plus Newton polishing. Eigenvectors of a disposition mode μ:
 * central 1, peripheral j k1j/(kj1+μ). Depot mode μ=−ka: depot 1, disposition part from
 * (A_d + ka·I)x = −ka·e_central, solved in closed form.
 *
 * Coincident rates (ka equal to a disposition eigenvalue or to a kj1, or k21 = k31) make
 * V singular. They are separated by a relative 1.5e-8 nudge of ka (or k31), about √ε: the resulting
 * relative change in concentrations is of order 1e-8·k·t, and the cancellation error
 * about ε/1e-8 ≈ 1e-8: both well inside the 1e-6 contract.
 *
 * State order: [depot?, central, peripheral1?, peripheral2?].
 */

const MIN_RELATIVE_GAP = 1e-8;

export interface PkStructure {
  /** Number of disposition compartments (central + peripherals). */
  compartments: 1 | 2 | 3;
  /** Whether there is a first-order absorption depot in front of the central compartment. */
  depot: boolean;
}

/** Micro rate constants (per hour) and the central volume. */
export interface MicroConstants {
  ka: number;
  k10: number;
  k12: number;
  k21: number;
  k13: number;
  k31: number;
}

export class LinearCompartmentModes {
  readonly size: number;
  readonly central: number;
  /** Eigenvalues μ_k (all negative). */
  readonly mu: Float64Array;
  /** Eigenvectors as columns: v[i*size + k] = component i of mode k. */
  readonly v: Float64Array;
  /** Inverse of v, row-major: vInv[k*size + i]. */
  readonly vInv: Float64Array;
  private readonly work: Float64Array;

  constructor(readonly structure: PkStructure) {
    this.size = structure.compartments + (structure.depot ? 1 : 0);
    this.central = structure.depot ? 1 : 0;
    this.mu = new Float64Array(this.size);
    this.v = new Float64Array(this.size * this.size);
    this.vInv = new Float64Array(this.size * this.size);
    this.work = new Float64Array(this.size * this.size * 2);
  }

  /** Recomputes modes for one twin's rate constants. Unused constants are ignored. */
  setRates(ka: number, k10: number, k12: number, k21: number, k13: number, k31: number): void {
    const { compartments, depot } = this.structure;
    if (!(k10 > 0)) throw new RangeError(`elimination rate k10 must be positive, got ${k10}`);
    if (compartments < 2) k12 = k21 = 0;
    if (compartments < 3) k13 = k31 = 0;
    if (compartments >= 2 && !(k12 > 0 && k21 > 0))
      throw new RangeError(`inter-compartmental rates must be positive, got k12=${k12}, k21=${k21}`);
    if (compartments === 3) {
      if (!(k13 > 0 && k31 > 0))
        throw new RangeError(`inter-compartmental rates must be positive, got k13=${k13}, k31=${k31}`);
      if (Math.abs(k31 - k21) < MIN_RELATIVE_GAP * k21) k31 = k21 * (1 + 2 * MIN_RELATIVE_GAP);
    }
    const n = this.size;
    const c = this.central;
    const { mu, v } = this;
    v.fill(0);
    // Disposition eigenvalues as positive rates λ (μ = −λ).
    const lambdas = dispositionRates(compartments, k10, k12, k21, k13, k31);
    for (let m = 0; m < compartments; m++) {
      const lam = lambdas[m];
      const k = c + m;
      mu[k] = -lam;
      v[c * n + k] = 1;
      if (compartments >= 2) v[(c + 1) * n + k] = k12 / (k21 - lam);
      if (compartments === 3) v[(c + 2) * n + k] = k13 / (k31 - lam);
    }
    if (depot) {
      if (!(ka > 0)) throw new RangeError(`absorption rate ka must be positive, got ${ka}`);
      ka = separate(ka, lambdas, compartments, k21, k31);
      mu[0] = -ka;
      v[0] = 1;
      // Peripheral j: x_j = k1j x_c / (kj1 − ka); central from its balance equation.
      let denom = ka - k10 - k12 - k13;
      if (compartments >= 2) denom += (k21 * k12) / (k21 - ka);
      if (compartments === 3) denom += (k31 * k13) / (k31 - ka);
      const xc = -ka / denom;
      v[c * n] = xc;
      if (compartments >= 2) v[(c + 1) * n] = (k12 * xc) / (k21 - ka);
      if (compartments === 3) v[(c + 2) * n] = (k13 * xc) / (k31 - ka);
    }
    invert(v, this.vInv, n, this.work);
  }
}

/** Keeps ka a relative MIN_RELATIVE_GAP away from every disposition eigenvalue and kj1. */
function separate(ka: number, lambdas: Float64Array, compartments: number, k21: number, k31: number): number {
  for (let pass = 0; pass < 4; pass++) {
    let moved = false;
    const near = (r: number) => r > 0 && Math.abs(ka - r) < MIN_RELATIVE_GAP * r;
    for (let m = 0; m < compartments; m++) if (near(lambdas[m])) moved = true;
    if (compartments >= 2 && near(k21)) moved = true;
    if (compartments === 3 && near(k31)) moved = true;
    if (!moved) return ka;
    ka *= 1 + 1.5 * MIN_RELATIVE_GAP;
  }
  return ka;
}

const rateScratch = new Float64Array(3);

/** Positive disposition rates (−eigenvalues), largest first. */
export function dispositionRates(
  compartments: number,
  k10: number,
  k12: number,
  k21: number,
  k13: number,
  k31: number
): Float64Array {
  const r = rateScratch;
  if (compartments === 1) {
    r[0] = k10;
    return r;
  }
  if (compartments === 2) {
    const s = k10 + k12 + k21;
    const p = k10 * k21;
    const disc = Math.sqrt(Math.max(s * s - 4 * p, 0));
    const alpha = 0.5 * (s + disc);
    r[0] = alpha;
    r[1] = p / alpha; // product of roots: avoids cancellation in the small root
    return r;
  }
  // λ³ − a2 λ² + a1 λ − a0 = 0
  const a2 = k10 + k12 + k13 + k21 + k31;
  const a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12;
  const a0 = k10 * k21 * k31;
  // Depressed cubic x³ + px + q with λ = x + a2/3.
  const p = a1 - (a2 * a2) / 3;
  const q = (-2 * a2 * a2 * a2) / 27 + (a1 * a2) / 3 - a0;
  const m = 2 * Math.sqrt(Math.max(-p / 3, 0));
  const arg = m > 0 ? Math.max(-1, Math.min(1, (3 * q) / (p * m))) : 0;
  const theta = Math.acos(arg) / 3;
  for (let j = 0; j < 3; j++) {
    let lam = a2 / 3 + m * Math.cos(theta - (2 * Math.PI * j) / 3);
    for (let it = 0; it < 3; it++) {
      const f = ((lam - a2) * lam + a1) * lam - a0;
      const df = (3 * lam - 2 * a2) * lam + a1;
      if (df === 0) break;
      lam -= f / df;
    }
    r[j] = lam;
  }
  // sort descending
  if (r[0] < r[1]) swap(r, 0, 1);
  if (r[1] < r[2]) swap(r, 1, 2);
  if (r[0] < r[1]) swap(r, 0, 1);
  return r;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Gauss–Jordan inverse with partial pivoting of a small n×n matrix (n ≤ 4). */
function invert(a: Float64Array, out: Float64Array, n: number, work: Float64Array): void {
  const w = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      work[i * w + j] = a[i * n + j];
      work[i * w + n + j] = i === j ? 1 : 0;
    }
  }
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(work[r * w + col]) > Math.abs(work[piv * w + col])) piv = r;
    if (work[piv * w + col] === 0) throw new RangeError('compartment eigenvectors are singular');
    if (piv !== col) for (let j = 0; j < w; j++) swapIn(work, col * w + j, piv * w + j);
    const d = work[col * w + col];
    for (let j = 0; j < w; j++) work[col * w + j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = work[r * w + col];
      if (f !== 0) for (let j = 0; j < w; j++) work[r * w + j] -= f * work[col * w + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = work[i * w + n + j];
}

function swapIn(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
