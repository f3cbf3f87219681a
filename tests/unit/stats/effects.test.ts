// Effect measures vs R (tests/golden/effects/effects-golden.R → effects.json): ANCOVA with all
// arms (lm(y ~ arm + baseline)), Hodges–Lehmann (wilcox.test(conf.int = TRUE)), geometric mean
// ratio (exp of t.test on logs, var.equal = TRUE), 2×2 factorial interaction (lm(y ~ A * B)) and
// probability of target attainment (prop.test(correct = FALSE)).
import { describe, expect, it } from 'vitest';
import {
  ancova,
  ancovaAllArms,
  factorialInteraction,
  geometricMeanRatio,
  hodgesLehmann,
  StatsInputError,
  targetAttainment
} from '../../../src/lib/stats';
import { expectAllClose, expectClose, loadGolden } from './golden';

const g = loadGolden('effects', 'effects');

describe('ancovaAllArms vs R lm(y ~ arm + baseline)', () => {
  it('each arm: estimate, SE, t, p, CI; df n − k − 1, residual SD and slope', () => {
    for (const c of g.ancova) {
      const r = ancovaAllArms({ outcome: c.y, arm: c.arm, baseline: c.baseline }, { confLevel: c.confLevel });
      expect(r.df).toBe(c.df);
      for (const k of ['estimate', 'stdErr', 'statistic', 'pValue', 'ciLow', 'ciHigh'] as const) {
        expectAllClose(
          r.effects.map((e) => e[k]),
          c[k],
          1e-8,
          1e-12,
          k
        );
      }
      expectClose(r.residualSd, c.residualSd, 1e-10, 0, 'residualSd');
      expectClose(r.slope, c.slope, 1e-8, 0, 'slope');
      expectClose(r.slopeStdErr, c.slopeStdErr, 1e-8, 0, 'slopeStdErr');
    }
  });

  it('differs from the pairwise fits with three or more arms, equals it with two', () => {
    for (const c of g.ancova) {
      c.pairwise.forEach((p: { estimate: number; stdErr: number; df: number }, j: number) => {
        const keep = c.arm.map((a: number) => a === 0 || a === j + 1);
        const pick = (v: number[]) => v.filter((_, i) => keep[i]);
        const r = ancova({
          outcome: pick(c.y),
          treatment: pick(c.arm).map((a) => (a === 0 ? 0 : 1)),
          baseline: pick(c.baseline)
        });
        expectClose(r.estimate, p.estimate, 1e-8, 1e-12, 'pairwise estimate');
        expect(r.df).toBe(p.df);
      });
      if (c.pairwise.length === 1) expectClose(c.pairwise[0].estimate, c.estimate[0], 1e-12, 0, 'two arms');
      else expect(Math.abs(c.pairwise[0].estimate - c.estimate[0])).toBeGreaterThan(1e-3);
    }
  });

  it('refuses an arm index with no rows, and a single arm', () => {
    const base = [1, 2, 3, 4, 5, 6];
    expect(() => ancovaAllArms({ outcome: base, arm: [0, 0, 0, 2, 2, 2], baseline: base })).toThrow(
      /arm 1 has no rows/
    );
    expect(() => ancovaAllArms({ outcome: base, arm: [0, 0, 0, 0, 0, 0], baseline: base })).toThrow(
      StatsInputError
    );
    expect(() => ancovaAllArms({ outcome: base, arm: [0, 0, 1, 1, 0.5, 1], baseline: base })).toThrow(
      /arm\[4\] must be an arm index/
    );
  });
});

describe('hodgesLehmann vs R wilcox.test(x, y, conf.int = TRUE)', () => {
  it('exact and normal-approximation cases, as R chooses', () => {
    for (const c of g.hodgesLehmann) {
      const r = hodgesLehmann(c.x, c.y, { confLevel: c.confLevel });
      expect(r.exact, `exact for n ${c.x.length}, ${c.y.length}`).toBe(c.exact);
      // R uniroot at its default tol.root = 1e-4, followed step for step (zeroin)
      expectClose(r.estimate, c.estimate, 1e-9, 1e-9, 'estimate');
      expectClose(r.ciLow, c.ciLow, 1e-9, 1e-9, 'ciLow');
      expectClose(r.ciHigh, c.ciHigh, 1e-9, 1e-9, 'ciHigh');
      expectClose(r.achievedConfLevel, c.achievedConfLevel, 1e-12, 0, 'achievedConfLevel');
    }
  });

  it('is exactly the median of the differences for one value per arm', () => {
    const r = hodgesLehmann([5], [2]);
    expect([r.estimate, r.ciLow, r.ciHigh]).toEqual([3, 3, 3]);
  });

  it('refuses all-tied samples and non-finite values by name', () => {
    const tied = Array.from({ length: 60 }, () => 1);
    expect(() => hodgesLehmann(tied, tied)).toThrow(/all observations are tied/);
    expect(() => hodgesLehmann([1, NaN], [2, 3])).toThrow(/arm\[1\] is not a finite number/);
  });
});

describe('geometricMeanRatio vs R exp(t.test(log(x), log(y), var.equal = TRUE))', () => {
  it('ratio, 90 % CI by default, t, df and p', () => {
    for (const c of g.gmr) {
      const r = geometricMeanRatio(c.x, c.y, c.confLevel === 0.9 ? {} : { confLevel: c.confLevel });
      expect(r.confLevel).toBe(c.confLevel);
      for (const k of ['estimate', 'ciLow', 'ciHigh', 'statistic', 'pValue'] as const)
        expectClose(r[k], c[k], 1e-9, 0, k);
      expect(r.df).toBe(c.df);
    }
  });

  it('refuses non-positive values, saying how many', () => {
    expect(() => geometricMeanRatio([1, 0, -2, 3], [1, 2])).toThrow(
      /needs positive values: 2 of 4 arm values are not a positive number \(first: arm\[1\] = 0\)/
    );
    expect(() => geometricMeanRatio([1, 2], [1, -2])).toThrow(/1 of 2 control values is not/);
  });
});

describe('factorialInteraction vs R lm(y ~ A * B)', () => {
  it('the A:B coefficient, SE, t, p, CI and df', () => {
    for (const c of g.factorial) {
      const r = factorialInteraction({ outcome: c.y, a: c.a, b: c.b }, { confLevel: c.confLevel });
      for (const k of ['estimate', 'stdErr', 'statistic', 'pValue', 'ciLow', 'ciHigh', 'residualSd'] as const)
        expectClose(r[k], c[k], 1e-9, 1e-12, k);
      expect(r.df).toBe(c.df);
    }
  });

  it('names an empty cell and a bad factor code', () => {
    expect(() =>
      factorialInteraction({ outcome: [1, 2, 3, 4, 5], a: [0, 0, 1, 1, 1], b: [0, 1, 0, 0, 0] })
    ).toThrow(/cell A = 1, B = 1 has no observations/);
    expect(() => factorialInteraction({ outcome: [1, 2], a: [0, 2], b: [0, 1] })).toThrow(
      /a\[1\] must be 0 or 1/
    );
  });
});

describe('targetAttainment vs R prop.test(correct = FALSE)', () => {
  it('counts values in [low, high] inclusive, with the Wilson interval', () => {
    for (const c of g.targetAttainment) {
      const r = targetAttainment(c.values, { low: c.low, high: c.high }, { confLevel: c.confLevel });
      expect([r.attained, r.n]).toEqual([c.attained, c.n]);
      for (const k of ['proportion', 'ciLow', 'ciHigh'] as const) expectClose(r[k], c[k], 1e-10, 1e-15, k);
    }
  });

  it('refuses an empty or reversed window', () => {
    expect(() => targetAttainment([1, 2], { low: 5, high: 4 })).toThrow(/low ≤ high, got \[5, 4\]/);
    expect(() => targetAttainment([1, 2], { low: NaN, high: 4 })).toThrow(StatsInputError);
  });
});
