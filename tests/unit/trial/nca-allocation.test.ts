import { describe, expect, it } from 'vitest';
import {
  allocateRange,
  allocateStratified,
  aucLinearUpLogDown,
  cmax,
  ctrough
} from '../../../src/lib/engine/trial';

describe('non-compartmental analysis', () => {
  it('log-down trapezoids integrate a mono-exponential decline exactly', () => {
    // C = 10·exp(−0.2 t) sampled at uneven times: ∫0^12 = 10/0.2·(1 − e^−2.4), closed form.
    const t = [0, 0.5, 1, 2, 4, 6, 8, 12];
    const c = t.map((x) => 10 * Math.exp(-0.2 * x));
    expect(aucLinearUpLogDown(t, c, 0, 12)).toBeCloseTo((10 / 0.2) * (1 - Math.exp(-2.4)), 12);
    expect(cmax(t, c, 0, 12)).toBe(10);
    expect(ctrough(t, c, 0, 12)).toBeCloseTo(10 * Math.exp(-2.4), 14);
  });

  it('linear-up trapezoids integrate a rising straight line exactly, and respect the interval', () => {
    const t = [0, 1, 3, 4];
    const c = [0, 2, 6, 8]; // C = 2t
    expect(aucLinearUpLogDown(t, c, 0, 4)).toBeCloseTo(16, 14);
    expect(aucLinearUpLogDown(t, c, 1, 3)).toBeCloseTo(8, 14);
  });

  it('stops at a missing sample (dropout) and gives NaN Cmax when nothing is sampled', () => {
    expect(aucLinearUpLogDown([0, 1, 2], [0, 2, NaN], 0, 2)).toBeCloseTo(1, 14);
    expect(cmax([0, 1], [NaN, NaN], 0, 1)).toBeNaN();
  });
});

describe('allocation', () => {
  const count = (arms: Int16Array, nArms: number) =>
    Array.from({ length: nArms }, (_, a) => arms.filter((x) => x === a).length);

  it('permuted blocks hold the ratio exactly in every complete block, and any chunk agrees', () => {
    const plan = { method: 'block' as const, ratio: [1, 1, 2], blockSize: 8 };
    const all = allocateRange(plan, 42, 1, 800);
    for (let b = 0; b < 100; b++) expect(count(all.slice(b * 8, b * 8 + 8), 3)).toEqual([2, 2, 4]);
    // Twins 101..300 computed alone equal the same twins computed with the rest.
    expect(allocateRange(plan, 42, 101, 200)).toEqual(all.slice(100, 300));
    expect(allocateRange(plan, 43, 1, 800)).not.toEqual(all);
  });

  it('simple randomisation follows the ratio within Monte Carlo error', () => {
    const arms = allocateRange({ method: 'simple', ratio: [1, 3], blockSize: 4 }, 7, 1, 40_000);
    const p = count(arms, 2)[1] / 40_000;
    expect(Math.abs(p - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / 40_000));
  });

  it('stratified blocks balance the arms within every stratum', () => {
    const strata = Int32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 3);
    const arms = allocateStratified({ method: 'stratified', ratio: [1, 1], blockSize: 4 }, 5, strata);
    for (let s = 0; s < 3; s++) {
      const inStratum = arms.filter((_, i) => strata[i] === s);
      const [a, b] = count(inStratum, 2);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(2); // at most half a block apart
    }
  });
});
