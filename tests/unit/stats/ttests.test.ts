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
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    // deterministic pseudo-data (no Math.random): a low-discrepancy sequence
    for (let i = 0; i < n; i++) {
      a[i] = 1e6 + ((i * 0.6180339887) % 1);
      b[i] = 1e6 + ((i * 0.41421356237) % 1) - 0.01;
    }
    const r = welchTTest(a, b);
    expect(r.df).toBeGreaterThan(1e6);
    expect(r.estimate).toBeCloseTo(0.01, 3);
  });
});
