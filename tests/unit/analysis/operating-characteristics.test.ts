// operatingCharacteristics on replicates small enough to compute by hand.
import { describe, expect, it } from 'vitest';
import { operatingCharacteristics } from '../../../src/lib/analysis/operating-characteristics';

// estimate, SE, df, CI low, CI high, p per replicate; the fifth could not be computed
const analyses = Float64Array.from(
  [
    [1, 1, 10, 0, 2, 0.01],
    [2, 1, 10, 1, 3, 0.2],
    [3, 1, 10, 2, 4, 0.04],
    [6, 1, 10, 5, 7, 0.001],
    [NaN, NaN, NaN, NaN, NaN, NaN]
  ].flat()
);
const truth = Float64Array.from([2.5, 2.5, 3.5, 3.5, 3]);

const base = {
  n: 100,
  replicates: 5,
  methods: ['mmrm'] as const,
  labels: ['MMRM'],
  arms: ['active'],
  analyses,
  alpha: 0.05,
  nullScenario: false
};

describe('operatingCharacteristics', () => {
  it('mean, true value, bias, SEs, coverage and rejection rate by hand', () => {
    const [o] = operatingCharacteristics({ ...base, estimands: ['hypothetical'], truth });
    expect(o.estimand).toBe('hypothetical');
    expect(o.replicates).toBe(5);
    expect(o.estimable).toBe(4);
    expect(o.meanEstimate).toBe(3); // (1 + 2 + 3 + 6) / 4
    expect(o.trueValue).toBe(3); // (2.5 + 2.5 + 3.5 + 3.5 + 3) / 5
    expect(o.bias).toBe(0);
    // deviations −2, −1, 0, 3: SD √(14/3); the true effects' deviations ±0.5 (four) and 0:
    // variance 1/4, of their mean 1/20; Monte Carlo SE of the bias √(SD²/4 + 1/20)
    expect(o.empiricalSe).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(o.biasMcse).toBeCloseTo(Math.sqrt(14 / 3 / 4 + 1 / 20), 12);
    expect(o.meanModelSe).toBe(1);
    expect(o.coverage).toBe(0.5); // [1, 3] and [2, 4] hold 3; [0, 2] and [5, 7] do not
    expect(o.rejectionRate).toBe(3 / 5); // p < 0.05 in three of five replicates
    // R: quantile(c(1, 2, 3, 6), c(0.025, 0.25, 0.5, 0.75, 0.975)) = 1.075 1.75 2.5 3.75 5.775
    o.quantiles!.forEach((q, i) => expect(q).toBeCloseTo([1.075, 1.75, 2.5, 3.75, 5.775][i], 12));
  });

  it('without an estimand the true value is unknown, or 0 under the null scenario', () => {
    const none = { ...base, estimands: [], truth: new Float64Array(0) };
    const [o] = operatingCharacteristics(none);
    expect([o.estimand, o.trueValue, o.bias, o.coverage]).toEqual([null, null, null, null]);
    const [z] = operatingCharacteristics({ ...none, nullScenario: true });
    expect(z.trueValue).toBe(0);
    expect(z.bias).toBe(3);
    expect(z.coverage).toBe(0.25); // only [0, 2] holds 0
  });
});
