// Binary-outcome methods vs R (tests/golden/stats/binary.json): prop.test Wilson CI, Wald and
// Newcombe (method 10) risk difference, Katz RR and Woolf OR (formulas evaluated in R), fisher.test,
// chisq.test with and without Yates' correction, r × c chisq.test.
import { describe, expect, it } from 'vitest';
import {
  StatsInputError,
  chiSquareTest,
  fisherExactTest,
  oddsRatio,
  riskDifference,
  riskRatio,
  wilsonInterval
} from '../../../src/lib/stats';
import { expectClose, loadGolden } from './golden';

const g = loadGolden('binary');
const REL = 1e-6;

describe('binary methods vs R', () => {
  it('Wilson interval (prop.test, correct = FALSE)', () => {
    for (const c of g.cases) {
      const a = wilsonInterval(c.arm.events, c.arm.n);
      const b = wilsonInterval(c.control.events, c.control.n);
      expectClose(a.ciLower, c.wilsonArm[0], REL, 1e-14, 'arm lower');
      expectClose(a.ciUpper, c.wilsonArm[1], REL, 1e-14, 'arm upper');
      expectClose(b.ciLower, c.wilsonControl[0], REL, 1e-14, 'control lower');
      expectClose(b.ciUpper, c.wilsonControl[1], REL, 1e-14, 'control upper');
    }
  });
  it('risk difference, Wald and Newcombe hybrid score', () => {
    for (const c of g.cases) {
      const r = riskDifference(c.arm, c.control);
      expectClose(r.estimate, c.rd, REL, 1e-14, 'rd');
      expectClose(r.stdErr, c.rdSe, REL, 1e-14, 'se');
      expectClose(r.waldLower, c.waldLower, REL, 1e-14, 'wald lower');
      expectClose(r.waldUpper, c.waldUpper, REL, 1e-14, 'wald upper');
      expectClose(r.newcombeLower, c.newcombeLower, REL, 1e-14, 'newcombe lower');
      expectClose(r.newcombeUpper, c.newcombeUpper, REL, 1e-14, 'newcombe upper');
    }
  });
  it('Newcombe (1998) table II, example (a): 56/70 vs 48/80 → 0.0524 to 0.3339', () => {
    const r = riskDifference({ events: 56, n: 70 }, { events: 48, n: 80 });
    expect(r.newcombeLower).toBeCloseTo(0.0524, 4);
    expect(r.newcombeUpper).toBeCloseTo(0.3339, 4);
  });
  it('risk ratio (Katz) and odds ratio (Woolf) with zero-cell corrections', () => {
    for (const c of g.cases) {
      const rr = riskRatio(c.arm, c.control);
      expectClose(rr.estimate, c.rr, REL, 0, 'rr');
      expectClose(rr.ciLower, c.rrLower, REL, 0, 'rr lower');
      expectClose(rr.ciUpper, c.rrUpper, REL, 0, 'rr upper');
      expect(rr.corrected).toBe(c.rrCorrected);
      const or = oddsRatio(c.arm, c.control);
      expectClose(or.estimate, c.or, REL, 0, 'or');
      expectClose(or.ciLower, c.orLower, REL, 0, 'or lower');
      expectClose(or.ciUpper, c.orUpper, REL, 0, 'or upper');
      expect(or.corrected).toBe(c.orCorrected);
    }
  });
  it('Fisher exact p-value (fisher.test) and conditional MLE odds ratio', () => {
    for (const c of g.cases) {
      const f = fisherExactTest(c.arm, c.control);
      expectClose(f.pValue, c.fisherP, REL, 1e-15, 'fisher p');
      // conditional MLE and interval: tight values re-solved in R to 1e-12 …
      expectClose(f.oddsRatio, c.fisherOrTight, 1e-8, 1e-12, 'cond. MLE');
      expectClose(f.ciLower, c.fisherCiTight[0], 1e-8, 1e-12, 'ci lower');
      expectClose(f.ciUpper, c.fisherCiTight[1], 1e-8, 1e-12, 'ci upper');
      // … and fisher.test's own printout, which uses uniroot's default tolerance (~1e-4 relative;
      // the open-ended upper limit of small tables is flatter still, hence 2e-2 there)
      expectClose(f.oddsRatio, c.fisherOr, 1e-3, 1e-12, 'fisher.test estimate');
      expectClose(f.ciLower, c.fisherCi[0], 1e-3, 1e-12, 'fisher.test lower');
      expectClose(f.ciUpper, c.fisherCi[1], 2e-2, 1e-12, 'fisher.test upper');
    }
  });
  it('chi-square 2 × 2 with and without Yates', () => {
    for (const c of g.cases) {
      const tab = [
        [c.arm.events, c.arm.n - c.arm.events],
        [c.control.events, c.control.n - c.control.events]
      ];
      const y = chiSquareTest(tab);
      const p = chiSquareTest(tab, { correct: false });
      expectClose(y.statistic, c.chisqYates, REL, 1e-14, 'yates stat');
      expectClose(y.pValue, c.chisqYatesP, REL, 1e-14, 'yates p');
      expectClose(p.statistic, c.chisq, REL, 1e-14, 'stat');
      expectClose(p.pValue, c.chisqP, REL, 1e-14, 'p');
    }
  });
  it('chi-square r × c', () => {
    const r = chiSquareTest(g.rxc.table);
    expect(r.df).toBe(g.rxc.df);
    expect(r.yates).toBe(false);
    expectClose(r.statistic, g.rxc.statistic, REL, 0, 'stat');
    expectClose(r.pValue, g.rxc.pValue, REL, 0, 'p');
  });
  it('rejects impossible counts, no events at all and empty margins', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(StatsInputError);
    expect(() => wilsonInterval(0, 0)).toThrow(StatsInputError);
    expect(() => riskRatio({ events: 0, n: 10 }, { events: 0, n: 12 })).toThrow(/no events/);
    expect(() => oddsRatio({ events: 10, n: 10 }, { events: 12, n: 12 })).toThrow(/every subject/);
    expect(() =>
      chiSquareTest([
        [0, 0],
        [3, 4]
      ])
    ).toThrow(/row 0/);
    expect(() => riskDifference({ events: 1.5, n: 10 }, { events: 1, n: 10 })).toThrow(StatsInputError);
  });
  // An arm with no subjects has no proportion: a ratio "estimated" from the 0.5 continuity
  // correction alone would be a number from nothing, so every two-arm method refuses it alike.
  it.each([
    ['riskDifference', riskDifference],
    ['riskRatio', riskRatio],
    ['oddsRatio', oddsRatio],
    ['fisherExactTest', fisherExactTest]
  ] as const)('%s rejects an arm with n = 0', (name, f) => {
    const some = { events: 3, n: 10 };
    const none = { events: 0, n: 0 };
    expect(() => f(none, some)).toThrow(new StatsInputError(`${name}: arm needs n ≥ 1, got 0`));
    expect(() => f(some, none)).toThrow(new StatsInputError(`${name}: control needs n ≥ 1, got 0`));
  });
});
