// Invariants that must hold for any input (fast-check): probabilities in [0, 1], intervals that
// contain their estimate, monotone survival curves and adjusted p-values, no NaN anywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  kaplanMeier,
  pAdjust,
  riskDifference,
  studentTQuantile,
  studentTCdf,
  welchTTest,
  wilcoxonRankSum
} from '../../../src/lib/stats';

// rounded to 1e-6 so that variances do not underflow (subnormal spreads rightly throw StatsInputError)
const finite = fc.integer({ min: -1e12, max: 1e12 }).map((v) => v / 1e6);

describe('statistical invariants', () => {
  it('studentTQuantile inverts studentTCdf', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 1 - 1e-8, noNaN: true }),
        fc.double({ min: 0.5, max: 1e4, noNaN: true }),
        (p, df) => {
          const q = studentTQuantile(p, df);
          expect(Math.abs(studentTCdf(q, df) - p)).toBeLessThanOrEqual(1e-10 * Math.max(p, 1e-3));
        }
      )
    );
  });
  it('Welch CI contains the estimate and p is a probability', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 2, maxLength: 30 }),
        fc.array(finite, { minLength: 2, maxLength: 30 }),
        (a, b) => {
          fc.pre(new Set(a).size > 1 || new Set(b).size > 1);
          const r = welchTTest(a, b);
          expect(r.pValue).toBeGreaterThanOrEqual(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
          expect(r.ciLower).toBeLessThanOrEqual(r.estimate + 1e-9 * Math.abs(r.estimate));
          expect(r.ciUpper).toBeGreaterThanOrEqual(r.estimate - 1e-9 * Math.abs(r.estimate));
        }
      )
    );
  });
  it('Kaplan–Meier is non-increasing with lower ≤ S ≤ upper', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1 })), {
          minLength: 1,
          maxLength: 60
        }),
        (rows) => {
          const km = kaplanMeier(
            rows.map((r) => r[0]),
            rows.map((r) => r[1])
          );
          for (let i = 0; i < km.surv.length; i++) {
            if (i > 0) expect(km.surv[i]).toBeLessThanOrEqual(km.surv[i - 1]);
            const lo = km.lower[i];
            const up = km.upper[i];
            if (lo !== null && up !== null) {
              expect(lo).toBeLessThanOrEqual(km.surv[i] * (1 + 1e-12));
              expect(up).toBeGreaterThanOrEqual(km.surv[i] * (1 - 1e-12));
              expect(up).toBeLessThanOrEqual(1);
            }
            expect(Number.isNaN(km.surv[i])).toBe(false);
          }
        }
      )
    );
  });
  it('adjusted p-values are ≥ raw, ≤ 1, and Hochberg ≤ Holm ≤ Bonferroni', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (p) => {
          const bo = pAdjust(p, 'bonferroni');
          const ho = pAdjust(p, 'holm');
          const hb = pAdjust(p, 'hochberg');
          p.forEach((v, i) => {
            expect(hb[i]).toBeGreaterThanOrEqual(v);
            expect(hb[i]).toBeLessThanOrEqual(ho[i] + 1e-15);
            expect(ho[i]).toBeLessThanOrEqual(bo[i] + 1e-15);
            expect(bo[i]).toBeLessThanOrEqual(1);
          });
        }
      )
    );
  });
  it('Newcombe interval contains the risk difference and stays in [−1, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, f1, f2) => {
          const r = riskDifference(
            { events: Math.round(f1 * n1), n: n1 },
            { events: Math.round(f2 * n2), n: n2 }
          );
          expect(r.newcombeLower).toBeLessThanOrEqual(r.estimate + 1e-12);
          expect(r.newcombeUpper).toBeGreaterThanOrEqual(r.estimate - 1e-12);
          expect(r.newcombeLower).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(r.newcombeUpper).toBeLessThanOrEqual(1 + 1e-12);
        }
      )
    );
  });
  it('rank-sum p-value is a probability and W is in [0, nx·ny]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 25 }),
        (a, b) => {
          fc.pre(new Set([...a, ...b]).size > 1);
          const r = wilcoxonRankSum(a, b);
          expect(r.pValue).toBeGreaterThan(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
          expect(r.statistic).toBeGreaterThanOrEqual(0);
          expect(r.statistic).toBeLessThanOrEqual(a.length * b.length);
        }
      )
    );
  });
});
