// Group-sequential efficacy boundaries from Lan–DeMets alpha spending (O'Brien–Fleming-like "asOF"
// or Pocock-like "asP"), one- or two-sided, as rpact::getDesignGroupSequential(typeOfDesign =
// "asOF"/"asP", kMax, alpha, sided, informationRates). Crossing probabilities use the recursive
// numerical integration of Armitage, McPherson & Rowe (1969) on Jennison & Turnbull's grid with
// Simpson weights (Jennison & Turnbull 2000, Group Sequential Methods, §19.2–19.3).
// Spending functions: Lan & DeMets (1983), Biometrika 70:659–663; Kim & DeMets (1987).
import { StatsInputError } from './errors';
import { normalPdf, normalQuantile, normalSurvival } from './distributions';
import { brentRoot } from './root';

export type SpendingFunction = 'asOF' | 'asP';

export interface GroupSequentialInput {
  kMax: number;
  /** overall significance level (one-sided when sided = 1, total over both sides when sided = 2) */
  alpha?: number;
  sided?: 1 | 2;
  typeOfDesign: SpendingFunction;
  /** cumulative information fractions, increasing, ending at 1; default k / kMax */
  informationRates?: ReadonlyArray<number>;
  /** grid size parameter r of Jennison & Turnbull (default 64; 16 already gives ~1e-6) */
  gridSize?: number;
}

export interface GroupSequentialDesign {
  kMax: number;
  alpha: number;
  sided: 1 | 2;
  typeOfDesign: SpendingFunction;
  informationRates: number[];
  /** z-scale efficacy boundaries (two-sided designs reject when |Z_k| ≥ c_k) */
  criticalValues: number[];
  /** cumulative alpha spent α(t_k) */
  alphaSpent: number[];
  /** nominal one-sided significance level 1 − Φ(c_k) at each stage */
  stageLevels: number[];
}

/** Cumulative alpha spent at information fraction t, as rpact defines the spending functions. */
export function alphaSpending(t: number, alpha: number, sided: 1 | 2, type: SpendingFunction): number {
  if (t <= 0) return 0;
  if (type === 'asP') return alpha * Math.log(1 + (Math.E - 1) * Math.min(t, 1));
  // O'Brien–Fleming-like: each side spends α/sided with 2(1 − Φ(z_{1−α'/2}/√t))
  const side = alpha / sided;
  return sided * 2 * normalSurvival(normalQuantile(1 - side / 2) / Math.sqrt(Math.min(t, 1)));
}

/** Jennison & Turnbull's grid on [lo, hi] (z scale, mean 0) with Simpson weights. */
function simpsonGrid(r: number, lo: number, hi: number): { z: Float64Array; w: Float64Array } {
  const raw: number[] = [];
  for (let i = 1; i <= 6 * r - 1; i++) {
    let x: number;
    if (i <= r - 1) x = -3 - 4 * Math.log(r / i);
    else if (i <= 5 * r) x = -3 + (3 * (i - r)) / (2 * r);
    else x = 3 + 4 * Math.log(r / (6 * r - i));
    raw.push(x);
  }
  const pts: number[] = [];
  if (raw[0] < lo) pts.push(lo);
  for (const x of raw) if (x > lo && x < hi) pts.push(x);
  if (raw[raw.length - 1] > hi) pts.push(hi);
  const m = pts.length;
  const z = new Float64Array(2 * m - 1);
  for (let i = 0; i < m; i++) {
    z[2 * i] = pts[i];
    if (i < m - 1) z[2 * i + 1] = (pts[i] + pts[i + 1]) / 2;
  }
  const w = new Float64Array(2 * m - 1);
  for (let i = 0; i < m - 1; i++) {
    const h = z[2 * i + 2] - z[2 * i];
    w[2 * i] += h / 6;
    w[2 * i + 1] += (4 * h) / 6;
    w[2 * i + 2] += h / 6;
  }
  return { z, w };
}

/** Lan–DeMets alpha-spending boundaries; throws on an invalid design specification. */
export function groupSequentialDesign(input: GroupSequentialInput): GroupSequentialDesign {
  const { kMax, typeOfDesign } = input;
  const alpha = input.alpha ?? 0.025;
  const sided = input.sided ?? 1;
  const r = input.gridSize ?? 64;
  if (!Number.isInteger(kMax) || kMax < 1 || kMax > 50)
    throw new StatsInputError(`kMax must be an integer in 1..50, got ${kMax}`);
  if (!(alpha > 0 && alpha < 0.5)) throw new StatsInputError(`alpha must be in (0, 0.5), got ${alpha}`);
  if (sided !== 1 && sided !== 2) throw new StatsInputError(`sided must be 1 or 2, got ${sided}`);
  if (typeOfDesign !== 'asOF' && typeOfDesign !== 'asP') {
    throw new StatsInputError(`typeOfDesign must be "asOF" or "asP", got ${String(typeOfDesign)}`);
  }
  const info = input.informationRates
    ? Array.from(input.informationRates)
    : Array.from({ length: kMax }, (_, k) => (k + 1) / kMax);
  if (info.length !== kMax)
    throw new StatsInputError(`informationRates has ${info.length} entries, expected kMax = ${kMax}`);
  info.forEach((t, k) => {
    if (!(t > (k === 0 ? 0 : info[k - 1]) && t <= 1)) {
      throw new StatsInputError(`informationRates must increase strictly within (0, 1]; entry ${k} is ${t}`);
    }
  });
  if (Math.abs(info[kMax - 1] - 1) > 1e-12)
    throw new StatsInputError(`the last information rate must be 1, got ${info[kMax - 1]}`);

  const alphaSpent = info.map((t) => alphaSpending(t, alpha, sided, typeOfDesign));
  const criticalValues: number[] = [];
  // density of Z_{k-1} on the continuation region (sub-density: excludes stopped paths)
  let grid: { z: Float64Array; w: Float64Array } | null = null;
  let dens: Float64Array | null = null;
  for (let k = 0; k < kMax; k++) {
    const target = alphaSpent[k] - (k === 0 ? 0 : alphaSpent[k - 1]);
    const Ik = info[k];
    const Iprev = k === 0 ? 0 : info[k - 1];
    const sdInc = Math.sqrt(Ik - Iprev);
    const sqIk = Math.sqrt(Ik);
    const sqIprev = Math.sqrt(Iprev);
    const exitProb = (c: number): number => {
      if (k === 0) return sided * normalSurvival(c);
      const g = grid as { z: Float64Array; w: Float64Array };
      const h = dens as Float64Array;
      let s = 0;
      for (let i = 0; i < g.z.length; i++) {
        const shift = g.z[i] * sqIprev;
        let tail = normalSurvival((c * sqIk - shift) / sdInc);
        if (sided === 2) tail += normalSurvival((c * sqIk + shift) / sdInc);
        s += g.w[i] * h[i] * tail;
      }
      return s;
    };
    let c: number;
    if (!(target > 0)) c = Infinity;
    else c = brentRoot((x) => exitProb(x) - target, sided === 2 ? 0 : -10, 40, 1e-13);
    criticalValues.push(c);
    if (k === kMax - 1) break;
    // density of Z_k on its continuation region for the next stage
    const lo = sided === 2 ? -c : -Infinity;
    const next = simpsonGrid(r, lo, c);
    const nd = new Float64Array(next.z.length);
    for (let j = 0; j < next.z.length; j++) {
      if (k === 0) {
        nd[j] = normalPdf(next.z[j]);
        continue;
      }
      const g = grid as { z: Float64Array; w: Float64Array };
      const h = dens as Float64Array;
      let s = 0;
      const zk = next.z[j] * sqIk;
      for (let i = 0; i < g.z.length; i++) s += g.w[i] * h[i] * normalPdf((zk - g.z[i] * sqIprev) / sdInc);
      nd[j] = (s * sqIk) / sdInc;
    }
    grid = next;
    dens = nd;
  }
  return {
    kMax,
    alpha,
    sided,
    typeOfDesign,
    informationRates: info,
    criticalValues,
    alphaSpent,
    stageLevels: criticalValues.map((c) => normalSurvival(c))
  };
}
