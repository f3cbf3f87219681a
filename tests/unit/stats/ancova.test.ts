// ANCOVA vs R lm(y ~ trt + base [+ covariates]) summary/confint (tests/golden/stats/ancova.json).
import { describe, expect, it } from 'vitest';
import { StatsInputError, ancova } from '../../../src/lib/stats';
import { expectAllClose, expectClose, loadGolden } from './golden';

const g = loadGolden('ancova');

describe('ancova vs R lm', () => {
  it('treatment coefficient, SE, t, p, CI, df and residual SD', () => {
    for (const c of g.cases) {
      const r = ancova({
        outcome: c.outcome,
        treatment: c.treatment,
        baseline: c.baseline,
        covariates: c.covariates
      });
      for (const k of [
        'estimate',
        'stdErr',
        'statistic',
        'pValue',
        'ciLower',
        'ciUpper',
        'residualSd'
      ] as const) {
        expectClose(r[k], c[k], 1e-6, 1e-12, k);
      }
      expect(r.df).toBe(c.df);
      expectAllClose(
        r.coefficients.map((x) => x.estimate),
        c.coef,
        1e-6,
        1e-12,
        'coef'
      );
      expectAllClose(
        r.coefficients.map((x) => x.stdErr),
        c.se,
        1e-6,
        1e-12,
        'se'
      );
    }
  });

  it('rejects constant treatment, collinear covariates, bad codes and non-finite values', () => {
    const y = [1, 2, 3, 4, 5, 6];
    const b = [3, 1, 4, 1, 5, 9];
    expect(() => ancova({ outcome: y, treatment: [1, 1, 1, 1, 1, 1], baseline: b })).toThrow(StatsInputError);
    expect(() => ancova({ outcome: y, treatment: [0, 1, 0, 1, 0, 2], baseline: b })).toThrow(
      /treatment\[5\]/
    );
    expect(() =>
      ancova({
        outcome: y,
        treatment: [0, 1, 0, 1, 0, 1],
        baseline: b,
        covariates: [b.map((v) => 2 * v + 1)]
      })
    ).toThrow(/collinear/);
    expect(() =>
      ancova({ outcome: [1, 2, NaN, 4, 5, 6], treatment: [0, 1, 0, 1, 0, 1], baseline: b })
    ).toThrow(/outcome\[2\]/);
  });

  // speed is measured by tests/bench/stats.ts (npm run bench -- stats), not here
  it('recovers the coefficients on 1,000,000 rows', () => {
    const n = 1_000_000;
    const y = new Float64Array(n);
    const t = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = i % 2;
      b[i] = 100 + ((i * 0.6180339887) % 1) * 20;
      y[i] = 3 + 2 * t[i] + 0.5 * b[i] + (((i * 0.41421356237) % 1) - 0.5);
    }
    const r = ancova({ outcome: y, treatment: t, baseline: b });
    // The noise is uniform on [−0.5, 0.5): σ = 1/√12, and the baseline's SD is 20/√12.
    // OLS SEs in closed form: treatment σ·√(1/n₁ + 1/n₀) = σ·√(4/n), slope σ/(SD_b·√n).
    // The sequence is equidistributed to ~1e-5, so the fitted SEs match these to 1e-3 and
    // the estimates lie well within 4 SE of the truth (measured 0.015 and 0.09 SE).
    const sigma = 1 / Math.sqrt(12);
    const seTreatment = sigma * Math.sqrt(4 / n);
    const seSlope = sigma / ((20 / Math.sqrt(12)) * Math.sqrt(n));
    expectClose(r.stdErr, seTreatment, 1e-3, 0, 'treatment SE');
    expectClose(r.coefficients[1].stdErr, seSlope, 1e-3, 0, 'slope SE');
    expect(Math.abs(r.estimate - 2)).toBeLessThan(4 * seTreatment);
    expect(Math.abs(r.coefficients[1].estimate - 0.5)).toBeLessThan(4 * seSlope);
  });
});
