// describe(), Welch/Student/paired t tests vs R mean/sd/quantile/t.test (tests/golden/stats/ttests.json).
import { describe as suite, expect, it } from 'vitest';
import { StatsInputError, describe, pairedTTest, studentTTest, welchTTest } from '../../../src/lib/stats';
import { expectClose, loadGolden } from './golden';

const g = loadGolden('ttests');
const REL = 1e-6;

suite('describe vs R', () => {
  it('matches mean, sd, se, median, type-7 quartiles, range and t CI', () => {
    for (const c of g.describe) {
      const d = describe(c.x);
      expect(d.n).toBe(c.n);
      for (const k of [
        'mean',
        'sd',
        'se',
        'median',
        'q1',
        'q3',
        'min',
        'max',
        'ciLower',
        'ciUpper'
      ] as const) {
        expectClose(d[k], c[k], REL, 1e-12, k);
      }
    }
  });
  it('returns nulls for SD and CI with a single value and throws on bad input', () => {
    const d = describe([3]);
    expect(d.sd).toBeNull();
    expect(d.ciLower).toBeNull();
    expect(() => describe([])).toThrow(StatsInputError);
    expect(() => describe([1, NaN])).toThrow(/x\[1\]/);
  });
});

function checkTwoSample(res: ReturnType<typeof welchTTest>, c: Record<string, number>): void {
  for (const k of ['estimate', 'statistic', 'df', 'pValue', 'ciLower', 'ciUpper', 'stdErr'] as const) {
    expectClose(res[k], c[k], REL, 1e-12, k);
  }
}

suite('t tests vs R t.test', () => {
  it('Welch (unequal n, ties, small samples)', () => {
    for (const c of g.welch) checkTwoSample(welchTTest(c.arm, c.control), c);
  });
  it('Student pooled variance', () => {
    for (const c of g.student) checkTwoSample(studentTTest(c.arm, c.control), c);
  });
  it('paired', () => {
    for (const c of g.paired) {
      const r = pairedTTest(c.arm, c.control);
      for (const k of ['estimate', 'statistic', 'df', 'pValue', 'ciLower', 'ciUpper', 'stdErr'] as const) {
        expectClose(r[k], c[k], REL, 1e-12, k);
      }
    }
  });
  it('accepts Float64Array input', () => {
    const c = g.welch[0];
    checkTwoSample(welchTTest(Float64Array.from(c.arm), Float64Array.from(c.control)), c);
  });
  it('throws StatsInputError on n < 2, zero variance and non-finite values', () => {
    expect(() => welchTTest([1], [1, 2, 3])).toThrow(/arm needs at least 2/);
    expect(() => welchTTest([2, 2], [5, 5, 5])).toThrow(/zero variance/);
    expect(() => welchTTest([1, Infinity], [1, 2])).toThrow(StatsInputError);
    expect(() => studentTTest([1], [2])).toThrow(StatsInputError);
    expect(() => pairedTTest([1, 2, 3], [0, 1, 2])).toThrow(/zero variance/);
    expect(() => pairedTTest([1, 2], [1])).toThrow(/length/);
  });
  // speed is measured by tests/bench/stats.ts (npm run bench -- stats), not here
  it('is accurate on 1,000,000 rows per arm with a large common offset', () => {
    const n = 1_000_000;
    const offset = 1e6;
    const shift = 0.001;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    // deterministic pseudo-data (no Math.random): a low-discrepancy sequence
    for (let i = 0; i < n; i++) {
      a[i] = offset + ((i * 0.6180339887) % 1);
      b[i] = offset + ((i * 0.41421356237) % 1) - shift;
    }
    const r = welchTTest(a, b);

    // Reference from the same data without the offset. Subtracting it is exact (a[i] and
    // 1e6 are multiples of ulp(1e6) = 2^-33), and two-pass moments of values in [-0.001, 1)
    // carry no cancellation. A common offset changes no mean difference, SE, df, t or p.
    const ua = moments2(a.map((x) => x - offset));
    const ub = moments2(b.map((x) => x - offset));
    const va = ua.ss / (n - 1) / n;
    const vb = ub.ss / (n - 1) / n;
    const stdErr = Math.sqrt(va + vb);
    const df = stdErr ** 4 / ((va * va) / (n - 1) + (vb * vb) / (n - 1));
    const estimate = ua.mean - ub.mean;
    const t = estimate / stdErr;
    const p = 2 * tUpperTailLargeDf(Math.abs(t), df);
    expect(t).toBeGreaterThan(1.5); // a p-value in the range that matters (≈ 0.01), not 1e-100

    // The offset data's means are stored on the 2^-33 grid of numbers near 1e6, so the
    // estimate is exact only to a few ulp(1e6) ≈ 1.2e-10 (5e-7 of the 0.001 difference;
    // measured 5e-12); t inherits that relative error and p it times
    // |d ln p / d ln t| = t·φ(t)/Q(t) ≈ 7 (measured 5e-9 and 3e-8). The SE and df come from
    // centred squares: a sum of 1e6 terms is exact to n·ε ≈ 1e-10 relative (measured 1e-14),
    // while a one-pass Σx² − n·mean² would be off by whole units here (ulp(1e18) = 128).
    expect(Math.abs(r.estimate - estimate)).toBeLessThan(5e-10);
    expectClose(r.stdErr, stdErr, 1e-9, 0, 'stdErr');
    expectClose(r.df, df, 1e-9, 0, 'df');
    expectClose(r.statistic, t, 1e-6, 0, 'statistic');
    expectClose(r.pValue, p, 1e-5, 0, 'pValue');
  });
});

/** n·mean and centred sum of squares in two plain passes (for well-scaled data only). */
function moments2(x: Float64Array): { mean: number; ss: number } {
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return { mean, ss };
}

/**
 * P(T > t) for Student's t with large df, independent of the library's t distribution:
 * Q(t) + φ(t)(t³ + t)/(4·df) + O(df⁻²) (Abramowitz & Stegun 26.7.5; the next term is
 * ~1e-12 relative at df = 2e6), with Φ from Marsaglia's Taylor series
 * Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/(3·5) + …) (J Stat Softw 2004, 11(4)), exact to ~1e-15 here.
 */
function tUpperTailLargeDf(t: number, df: number): number {
  const phi = Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let term = t;
  let sum = t;
  for (let k = 1; k < 200 && term > 1e-17 * sum; k++) {
    term *= (t * t) / (2 * k + 1);
    sum += term;
  }
  const upperNormal = 0.5 - phi * sum;
  return upperNormal + (phi * (t ** 3 + t)) / (4 * df);
}
