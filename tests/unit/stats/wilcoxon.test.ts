// Wilcoxon rank-sum vs R wilcox.test(arm, control, correct = TRUE) (tests/golden/stats/wilcoxon.json):
// exact cases (no ties, n < 50), tied cases (normal approximation with tie correction), n ≥ 50.
import { describe, expect, it } from 'vitest';
import { StatsInputError, wilcoxonRankSum } from '../../../src/lib/stats';
import { expectClose, loadGolden } from './golden';

const g = loadGolden('wilcoxon');

describe('wilcoxonRankSum vs R', () => {
  it('W and p-value, exact and approximate', () => {
    for (const c of g.cases) {
      const r = wilcoxonRankSum(c.arm, c.control);
      expect(r.statistic).toBe(c.statistic);
      expect(r.exact).toBe(c.exact);
      expectClose(r.pValue, c.pValue, 1e-6, 0, `p (W=${c.statistic})`);
    }
  });
  it('throws on empty samples, all-tied data and non-finite values', () => {
    expect(() => wilcoxonRankSum([], [1, 2])).toThrow(StatsInputError);
    expect(() => wilcoxonRankSum(new Array(60).fill(1), new Array(60).fill(1))).toThrow(/tied/);
    expect(() => wilcoxonRankSum([1, NaN], [2])).toThrow(/arm\[1\]/);
  });
});
