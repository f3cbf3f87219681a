import { purposeHash, RandomStream } from '../rng';

/**
 * Arm allocation (randomisation). Arms are listed with whole-number ratios, e.g. 1:1:2.
 * - simple: twin i's arm from its own stream (seed, 'allocation', i), P(arm) ∝ ratio;
 * - block: twins 1..B, B+1..2B, … form permuted blocks holding each arm ratio·B/Σratio
 *   times, the permutation of block k from (seed, 'allocation-block', k);
 * - stratified: permuted blocks within each stratum, filled in twin-id order.
 * Simple and block allocation are per-twin computable (any chunk can compute them);
 * stratified allocation needs every twin's stratum and runs once before the chunks.
 */
const SIMPLE = purposeHash('allocation');
const BLOCK = purposeHash('allocation-block');

export interface AllocationPlan {
  method: 'simple' | 'block' | 'stratified';
  ratio: number[];
  blockSize: number;
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
