// The comparison helpers of the golden tests must fail on a wrong output, never skip it.
import { describe, expect, it } from 'vitest';
import { maxRelativeDifference, relativeDifference } from '../../helpers/relative-difference';

describe('relativeDifference', () => {
  it('is relative to the reference, floored near zero', () => {
    expect(relativeDifference(101, 100)).toBeCloseTo(0.01, 15);
    expect(relativeDifference(2e-13, 0, 1e-12)).toBeCloseTo(0.2, 15);
  });

  it('is infinite for NaN or an infinite value on either side', () => {
    for (const [a, b] of [
      [NaN, 1],
      [1, NaN],
      [Infinity, 1],
      [1, -Infinity],
      [Infinity, Infinity]
    ])
      expect(relativeDifference(a, b)).toBe(Infinity);
  });
});

describe('maxRelativeDifference', () => {
  it('finds the largest difference', () => {
    expect(maxRelativeDifference([1, 2.2, 3], [1, 2, 3])).toBeCloseTo(0.1, 14);
  });

  it('a NaN anywhere fails any tolerance (NaN > worst is false, so a plain running max skips it)', () => {
    const reference = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    for (const at of [0, 5, 9]) {
      const out = Float64Array.from(reference);
      out[at] = NaN;
      expect(maxRelativeDifference(out, reference)).toBe(Infinity);
      expect(() => expect(maxRelativeDifference(out, reference)).toBeLessThan(1e-6)).toThrow();
    }
  });

  it('refuses arrays of different lengths and an empty reference', () => {
    expect(() => maxRelativeDifference([1, 2], [1, 2, 3])).toThrow(
      'compared 2 values with 3 reference values'
    );
    expect(() => maxRelativeDifference([], [])).toThrow('no reference values');
  });
});
