import { describe, expect, it } from 'vitest';
import { checkPowerSizes } from '../../../src/lib/ui/power-sizes';

describe('checkPowerSizes', () => {
  it('takes whole sizes that are multiples of the ratio sum (1:1:1:1 → 4)', () => {
    expect(checkPowerSizes(' 40, 80 ,160', 4, [1, 1, 1, 1])).toEqual({
      sizes: [40, 80, 160],
      problems: [],
      multiple: 4,
      ratio: '1:1:1:1'
    });
  });

  it('names the nearest valid sizes for a 2:1 allocation (multiples of 3)', () => {
    const c = checkPowerSizes('40, 60', 2, [2, 1]);
    expect(c.multiple).toBe(3);
    expect(c.problems).toEqual(['40 is not a multiple of 3 (the 2:1 allocation); nearest: 39 or 42']);
  });

  it('reduces a ratio by its common divisor and defaults to equal arms', () => {
    expect(checkPowerSizes('10', 2, [2, 2]).multiple).toBe(2);
    expect(checkPowerSizes('9', 3).problems).toEqual([]);
    expect(checkPowerSizes('10', 3).problems).toEqual([
      '10 is not a multiple of 3 (the 1:1:1 allocation); nearest: 9 or 12'
    ]);
  });

  it('refuses text, fractions, too small and empty sizes, each named', () => {
    expect(checkPowerSizes('abc, 7.5, 4', 3).problems).toEqual([
      "'abc' is not a whole number",
      "'7.5' is not a whole number",
      '4 is below 6 (2 twins per arm); the smallest size is 6'
    ]);
    // below the smallest multiple: only the sizes at or above it are offered
    expect(checkPowerSizes('7', 2, [2, 1]).problems).toEqual([
      '7 is not a multiple of 3 (the 2:1 allocation); nearest: 6 or 9'
    ]);
    expect(checkPowerSizes(' , ', 2, [2, 1]).problems).toEqual([
      'give at least one sample size, e.g. 30, 60, 120'
    ]);
  });
});
