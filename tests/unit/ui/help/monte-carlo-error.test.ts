import { describe, expect, it } from 'vitest';
import { monteCarloSe, replicatesFor } from '../../../../src/lib/ui/help/monte-carlo-error';
import { cohortSource } from '../../../../src/lib/ui/help/cohort-source';

describe('Monte Carlo error of a simulated power', () => {
  it('is the binomial SE, √(p(1 − p)/R)', () => {
    // closed form: √(0.8·0.2/1000) = √0.00016 = 0.012649110640673518
    expect(monteCarloSe(0.8, 1000)).toBeCloseTo(0.012649110640673518, 15);
    expect(monteCarloSe(0.5, 100)).toBe(0.05);
    expect(monteCarloSe(1, 50)).toBe(0);
  });

  it('needs R = z²·p(1 − p)/h² replicates for a ± h interval', () => {
    // R: ceiling(qnorm(0.975)^2 * 0.8 * 0.2 / 0.01^2) = 6147; at 0.5 and ± 0.05: ceiling(384.1459) = 385
    expect(replicatesFor(0.8, 0.01)).toBe(6147);
    expect(replicatesFor(0.5, 0.05)).toBe(385);
    // R: ceiling(qnorm(0.995)^2 * 0.9 * 0.1 / 0.02^2) = 1493
    expect(replicatesFor(0.9, 0.02, 0.99)).toBe(1493);
    // and the SE at that R is the half-width over z
    expect(1.959964 * monteCarloSe(0.8, 6147)).toBeLessThanOrEqual(0.01);
  });

  it('names the bad argument and its allowed range', () => {
    expect(() => monteCarloSe(1.2, 10)).toThrow('power must be a proportion in [0, 1], got 1.2');
    expect(() => monteCarloSe(0.5, 0)).toThrow('replicates must be a whole number ≥ 1, got 0');
    expect(() => replicatesFor(0.5, 0)).toThrow('halfWidth must be in (0, 1), got 0');
    expect(() => replicatesFor(0.5, 0.1, 95)).toThrow('level must be in (0, 1), got 95');
  });
});

describe('cohortSource', () => {
  it('reads name, description and source of a cohort file', () => {
    const text = 'name: Adults\ndescription: >\n  Adults 55+\nsource: ALLHAT, JAMA 2002\nn: 10\n';
    expect(cohortSource(text)).toEqual({
      name: 'Adults',
      description: 'Adults 55+',
      source: 'ALLHAT, JAMA 2002'
    });
    expect(cohortSource('name: X\n')).toEqual({ name: 'X', description: '', source: '' });
  });
});
