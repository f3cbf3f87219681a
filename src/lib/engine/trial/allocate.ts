import { purposeHash, RandomStream } from '../rng';

/**
 * Arm allocation (randomisation). Arms are listed with whole-number ratios, e.g. 1:1:2.
 * - simple: twin i's arm from its own stream (seed, 'allocation', i), P(arm) ∝ ratio;
 * - block: twins 1..B, B+1..2B, … form permuted blocks holding each arm ratio·B/Σratio
 *   times, the permutation of block k from (seed, 'allocation-block', k);
 * - stratified: permuted blocks within each stratum, filled in twin-id order;
 * - minimisation: Pocock–Simon, twin by twin in id order (see allocateMinimisation).
 * Simple and block allocation are per-twin computable (any chunk can compute them);
 * stratified allocation and minimisation need every earlier twin and run once before
 * the chunks.
 */
const SIMPLE = purposeHash('allocation');
const BLOCK = purposeHash('allocation-block');
const MINIMISE = purposeHash('allocation-minimisation');

export interface AllocationPlan {
  method: 'simple' | 'block' | 'stratified' | 'minimisation';
  ratio: number[];
  blockSize: number;
  /** Minimisation: the chance of taking an arm that minimises the imbalance. */
  probability?: number;
  /** Minimisation: imbalance of a factor level across arms as range or variance. */
  imbalance?: 'range' | 'variance';
}

/** Whether an allocation needs the whole cohort in twin-id order (not per chunk). */
export function allocatesSequentially(plan: AllocationPlan): boolean {
  return plan.method === 'stratified' || plan.method === 'minimisation';
}

/** The arm sequence of one block before permutation: arm a repeated ratio[a]·B/Σ times. */
function blockTemplate(plan: AllocationPlan): Int16Array {
  const total = plan.ratio.reduce((a, b) => a + b, 0);
  const copies = plan.blockSize / total;
  const out = new Int16Array(plan.blockSize);
  let k = 0;
  plan.ratio.forEach((r, arm) => {
    for (let j = 0; j < r * copies; j++) out[k++] = arm;
  });
  return out;
}

/** Fisher–Yates shuffle of `a` in place from a keyed stream. */
function shuffle(a: Int16Array, rng: RandomStream): Int16Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** Arms of twins firstId..firstId+count-1 under simple or block allocation. */
export function allocateRange(
  plan: AllocationPlan,
  seed: number,
  firstId: number,
  count: number
): Int16Array {
  const out = new Int16Array(count);
  const rng = new RandomStream();
  if (plan.method === 'simple') {
    const total = plan.ratio.reduce((a, b) => a + b, 0);
    for (let j = 0; j < count; j++) {
      rng.reset(seed, SIMPLE, firstId + j);
      let u = rng.uniform() * total;
      let arm = 0;
      while (arm < plan.ratio.length - 1 && u >= plan.ratio[arm]) u -= plan.ratio[arm++];
      out[j] = arm;
    }
    return out;
  }
  if (plan.method !== 'block')
    throw new Error('stratified allocation needs every twin: use allocateStratified');
  const template = blockTemplate(plan);
  const block = new Int16Array(plan.blockSize);
  let current = -1;
  for (let j = 0; j < count; j++) {
    const index = firstId + j - 1;
    const k = Math.floor(index / plan.blockSize);
    if (k !== current) {
      block.set(template);
      shuffle(block, rng.reset(seed, BLOCK, k));
      current = k;
    }
    out[j] = block[index % plan.blockSize];
  }
  return out;
}

/** Arms of all twins 1..N under stratified permuted blocks; stratum[i] is twin i+1's stratum. */
export function allocateStratified(plan: AllocationPlan, seed: number, stratum: Int32Array): Int16Array {
  const template = blockTemplate(plan);
  const out = new Int16Array(stratum.length);
  const filled = new Map<number, { count: number; block: Int16Array }>();
  const rng = new RandomStream();
  for (let i = 0; i < stratum.length; i++) {
    const s = stratum[i];
    let state = filled.get(s);
    if (!state) filled.set(s, (state = { count: 0, block: new Int16Array(plan.blockSize) }));
    const pos = state.count % plan.blockSize;
    if (pos === 0) {
      state.block.set(template);
      // Stratum s's k-th block: the stream's sub key packs (stratum, block).
      shuffle(state.block, rng.reset(seed, BLOCK, s + 1, Math.floor(state.count / plan.blockSize) + 1));
    }
    out[i] = state.block[pos];
    state.count++;
  }
  return out;
}

/**
 * Pocock–Simon minimisation (Pocock SJ, Simon R. Biometrics 1975;31:103–115). Twin by twin
 * in id order: for each arm a, the imbalance it would cause is the sum over factors of
 * the spread (range or variance) across arms of the counts of twins with the new twin's
 * level, the count of arm a taken one higher, each count divided by its arm's ratio (so
 * a 2:1 design balances at 2:1). With probability p the twin goes to an arm of least
 * imbalance, otherwise to one of the others; ties, and the choice among the others, go
 * by the allocation ratio. Draws come from the twin's stream (seed,
 * 'allocation-minimisation', twin id). levels[f][i] is twin i+1's level of factor f.
 */
export function allocateMinimisation(plan: AllocationPlan, seed: number, levels: Int32Array[]): Int16Array {
  const nArms = plan.ratio.length;
  const n = levels[0]?.length ?? 0;
  const p = plan.probability ?? 0.8;
  const spread = plan.imbalance === 'variance' ? variance : range;
  // counts[f][level * nArms + arm]: twins so far with that level of factor f, per arm.
  const counts = levels.map((l) => new Float64Array((l.reduce((m, v) => Math.max(m, v), -1) + 1) * nArms));
  const out = new Int16Array(n);
  const imbalance = new Float64Array(nArms);
  const scaled = new Float64Array(nArms);
  const rng = new RandomStream();
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < nArms; a++) {
      let total = 0;
      for (let f = 0; f < levels.length; f++) {
        const base = levels[f][i] * nArms;
        for (let b = 0; b < nArms; b++) {
          scaled[b] = (counts[f][base + b] + (b === a ? 1 : 0)) / plan.ratio[b];
        }
        total += spread(scaled);
      }
      imbalance[a] = total;
    }
    const least = Math.min(...imbalance);
    const best: number[] = [];
    const others: number[] = [];
    imbalance.forEach((v, a) => (v <= least + 1e-12 * Math.max(1, least) ? best : others).push(a));
    rng.reset(seed, MINIMISE, i + 1);
    const u = rng.uniform();
    const pool = others.length === 0 || u < p ? best : others;
    const arm = pickByRatio(pool, plan.ratio, rng.uniform());
    out[i] = arm;
    for (let f = 0; f < levels.length; f++) counts[f][levels[f][i] * nArms + arm]++;
  }
  return out;
}

/** One of `arms`, with chance proportional to its ratio, from a uniform u in [0, 1). */
function pickByRatio(arms: number[], ratio: number[], u: number): number {
  let total = 0;
  for (const a of arms) total += ratio[a];
  let x = u * total;
  for (const a of arms) {
    if (x < ratio[a]) return a;
    x -= ratio[a];
  }
  return arms[arms.length - 1];
}

function range(x: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

function variance(x: Float64Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return ss / (x.length - 1);
}
