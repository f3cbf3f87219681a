import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalQuantileFast } from '../../../src/lib/engine/rng/normal';

/**
 * The normal CDF and quantile, which the distribution tests use for theoretical values,
 * checked against R 4.x printed to 17 significant digits:
 *   Rscript -e 'print(c(pnorm(-3), pnorm(-1), pnorm(0.5), pnorm(1.959963984540054),
 *                       pnorm(-8), pnorm(-20), pnorm(5)), digits=17)'
 *   Rscript -e 'print(c(qnorm(0.975), qnorm(0.001), qnorm(1e-10), qnorm(0.3),
 *                       qnorm(0.999999), qnorm(0.05)), digits=17)'
 */
const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('normalCdf against R pnorm', () => {
  const cases: [number, number][] = [
    [-3, 1.3498980316300946e-3],
    [-1, 1.5865525393145705e-1],
    [0.5, 6.9146246127401301e-1],
    [1.959963984540054, 9.7499999999999998e-1],
    [-8, 6.2209605742717849e-16],
    [-20, 2.7536241186062337e-89],
    [5, 9.9999971334842808e-1]
  ];
  for (const [x, p] of cases) {
    it(`pnorm(${x}) = ${p}`, () => {
      // Cody quotes ~1e-15; 1.5e-14 is observed deep in the tail (x = -20)
      expect(rel(normalCdf(x), p)).toBeLessThan(5e-14);
    });
  }
  it('Φ(0) = 0.5 and Φ(−x) = 1 − Φ(x)', () => {
    expect(normalCdf(0)).toBe(0.5);
    for (const x of [0.1, 0.7, 1.3, 2.2, 3.9]) expect(normalCdf(-x) + normalCdf(x)).toBeCloseTo(1, 15);
  });
});

describe('normalQuantile against R qnorm', () => {
  const cases: [number, number][] = [
    [0.975, 1.95996398454005361],
    [0.001, -3.09023230616781319],
    [1e-10, -6.3613409024040557],
    [0.3, -0.52440051270804067],
    [0.999999, 4.75342430881708911],
    [0.05, -1.6448536269514726]
  ];
  for (const [p, x] of cases) {
    it(`qnorm(${p}) = ${x}`, () => {
      expect(rel(normalQuantile(p), x)).toBeLessThan(1e-13);
      // the sampling variant is within 1e-9 relative (its documented accuracy)
      expect(rel(normalQuantileFast(p), x)).toBeLessThan(1.2e-9);
    });
  }
  it('qnorm(0.5) = 0 and the ends are infinite', () => {
    expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-16);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});
