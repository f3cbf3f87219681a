import { describe, expect, it } from 'vitest';
import { allocateMinimisation, allocateRange, type AllocationPlan } from '../../../src/lib/engine/trial';
import { RandomStream } from '../../../src/lib/engine/rng';

/** Twins' levels of `factors` factors with the given numbers of levels, from a fixed stream. */
function randomLevels(n: number, nLevels: number[], seed = 11): Int32Array[] {
  const rng = new RandomStream();
  return nLevels.map((L, f) =>
    Int32Array.from({ length: n }, (_, i) => Math.floor(rng.reset(seed, 1, f, i).uniform() * L))
  );
}

/**
 * Pocock–Simon imbalance of giving twin i arm a, recomputed from scratch from the arms of
 * twins 0..i-1 (independently of the allocator's running counts): the sum over factors of
 * the range across arms of the ratio-scaled counts at twin i's level.
 */
function imbalanceOf(arms: Int16Array, levels: Int32Array[], ratio: number[], i: number, a: number) {
  let total = 0;
  for (const l of levels) {
    const counts = ratio.map(() => 0);
    for (let k = 0; k < i; k++) if (l[k] === l[i]) counts[arms[k]]++;
    counts[a]++;
    const scaled = counts.map((c, b) => c / ratio[b]);
    total += Math.max(...scaled) - Math.min(...scaled);
  }
  return total;
}

/** The largest difference between two arms' scaled counts within any level of any factor. */
function worstMarginalImbalance(arms: Int16Array, levels: Int32Array[], ratio: number[]) {
  let worst = 0;
  for (const l of levels) {
    const nLevels = Math.max(...l) + 1;
    for (let v = 0; v < nLevels; v++) {
      const counts = ratio.map(() => 0);
      l.forEach((x, i) => x === v && counts[arms[i]]++);
      const scaled = counts.map((c, b) => c / ratio[b]);
      worst = Math.max(worst, Math.max(...scaled) - Math.min(...scaled));
    }
  }
  return worst;
}

const plan = (over: Partial<AllocationPlan> = {}): AllocationPlan => ({
  method: 'minimisation',
  ratio: [1, 1],
  blockSize: 4,
  ...over
});

describe('Pocock–Simon minimisation', () => {
  it('with probability 1, every twin gets an arm of least imbalance (checked from scratch)', () => {
    const levels = randomLevels(300, [2, 3, 4]);
    for (const ratio of [
      [1, 1, 1],
      [2, 1]
    ]) {
      const arms = allocateMinimisation(plan({ ratio, probability: 1 }), 3, levels);
      for (let i = 0; i < arms.length; i++) {
        const all = ratio.map((_, a) => imbalanceOf(arms, levels, ratio, i, a));
        expect(all[arms[i]]).toBeCloseTo(Math.min(...all), 12);
      }
    }
  });

  it('with one factor and probability 1, arms alternate within each level', () => {
    const levels = randomLevels(500, [3]);
    const arms = allocateMinimisation(plan({ probability: 1 }), 5, levels);
    const diff = [0, 0, 0];
    levels[0].forEach((v, i) => {
      diff[v] += arms[i] === 0 ? 1 : -1;
      expect(Math.abs(diff[v])).toBeLessThanOrEqual(1);
    });
  });

  it('takes an arm of least imbalance with the stated probability', () => {
    const levels = randomLevels(20_000, [2, 3, 5]);
    const p = 0.7;
    const arms = allocateMinimisation(plan({ probability: p }), 9, levels);
    // Rebuild the running counts to see, for each twin with a real choice, whether it
    // went to an arm of least imbalance.
    const counts = levels.map((l) => new Float64Array((Math.max(...l) + 1) * 2));
    let choices = 0;
    let least = 0;
    for (let i = 0; i < arms.length; i++) {
      const imb = [0, 1].map((a) =>
        levels.reduce((s, l, f) => {
          const c0 = counts[f][l[i] * 2] + (a === 0 ? 1 : 0);
          const c1 = counts[f][l[i] * 2 + 1] + (a === 1 ? 1 : 0);
          return s + Math.abs(c0 - c1);
        }, 0)
      );
      if (imb[0] !== imb[1]) {
        choices++;
        if (imb[arms[i]] < imb[1 - arms[i]]) least++;
      }
      levels.forEach((l, f) => counts[f][l[i] * 2 + arms[i]]++);
    }
    expect(choices).toBeGreaterThan(10_000);
    const share = least / choices;
    expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / choices));
  });

  it('balances every factor level far better than simple randomisation, at the allocation ratio', () => {
    const levels = randomLevels(600, [2, 2, 3, 4]);
    for (const ratio of [
      [1, 1],
      [2, 1]
    ]) {
      const arms = allocateMinimisation(plan({ ratio }), 21, levels);
      const simple = allocateRange({ method: 'simple', ratio, blockSize: 4 }, 21, 1, 600);
      const minimised = worstMarginalImbalance(arms, levels, ratio);
      expect(minimised).toBeLessThanOrEqual(6);
      expect(minimised).toBeLessThan(worstMarginalImbalance(simple, levels, ratio) / 2);
      // The overall split follows the ratio.
      const share0 = arms.filter((a) => a === 0).length / arms.length;
      expect(Math.abs(share0 - ratio[0] / (ratio[0] + ratio[1]))).toBeLessThan(0.01);
    }
  });

  it('balances the variance measure too, and depends on the seed', () => {
    const levels = randomLevels(400, [2, 3]);
    const ratio = [1, 1, 1];
    const a = allocateMinimisation(plan({ ratio, imbalance: 'variance' }), 1, levels);
    expect(worstMarginalImbalance(a, levels, ratio)).toBeLessThanOrEqual(5);
    expect(allocateMinimisation(plan({ ratio, imbalance: 'variance' }), 1, levels)).toEqual(a);
    expect(allocateMinimisation(plan({ ratio, imbalance: 'variance' }), 2, levels)).not.toEqual(a);
  });
});
