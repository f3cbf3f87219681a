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
    expect(r.estimate).toBeCloseTo(2, 2);
    expect(r.coefficients[1].estimate).toBeCloseTo(0.5, 3);
  });
});
