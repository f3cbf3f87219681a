// What a run's resolved protocol adds to a comparison: the baseline visit of a continuous
// endpoint, exposure endpoints and the 2×2 factorial design.
import { describe, expect, it } from 'vitest';
import { endpointDesign, factorialDesignOf } from '../../../src/lib/analysis/compare';

const protocol = (over: Record<string, unknown> = {}) => ({
  design: 'parallel',
  schedule: { visits: [0, 672, 1344] },
  endpoints: [
    { name: 'change', type: 'continuous', variable: 'E', visit: 1344, measure: 'change' },
    { name: 'at0', type: 'continuous', variable: 'E', visit: 0, measure: 'value' },
    { name: 'auc', type: 'pk', variable: 'C', metric: 'auc' },
    { name: 'resp', type: 'responder', variable: 'E', visit: 1344 }
  ],
  arms: [
    { name: 'placebo', placebo: true },
    { name: 'active', regimen: { dose: 5 } }
  ],
  ...over
});

describe('endpointDesign', () => {
  it('a continuous endpoint after the first visit has that visit as its baseline', () => {
    expect(endpointDesign(protocol(), 'change')).toEqual({
      baselineVisit: { variable: 'E', time: 0 },
      exposure: false,
      factorial: null
    });
  });
  it('none at the first visit itself, with a visit window, in a crossover, or for other types', () => {
    expect(endpointDesign(protocol(), 'at0').baselineVisit).toBeNull();
    const windowed = protocol({ schedule: { visits: [{ time: 0, window: 24 }, 672, 1344] } });
    expect(endpointDesign(windowed, 'change').baselineVisit).toBeNull();
    expect(endpointDesign(protocol({ design: 'crossover' }), 'change').baselineVisit).toBeNull();
    expect(endpointDesign(protocol(), 'resp')).toEqual({
      baselineVisit: null,
      exposure: false,
      factorial: null
    });
    expect(endpointDesign(null, 'change')).toEqual({ baselineVisit: null, exposure: false, factorial: null });
  });
  it('a pk endpoint is an exposure', () => {
    expect(endpointDesign(protocol(), 'auc')).toMatchObject({ baselineVisit: null, exposure: true });
  });
});

describe('factorialDesignOf', () => {
  const arms = [
    { name: 'placebo', placebo: true },
    { name: 'A', regimen: { dose: 5 } },
    { name: 'B', companion: { dose: 25 } },
    { name: 'AB', regimen: { dose: 5 }, companion: { dose: 25 } }
  ];
  it('four arms covering neither, drug, companion and both', () => {
    expect(factorialDesignOf({ arms, companion: { name: 'thiazide' } })).toEqual({
      factorA: 'drug',
      factorB: 'thiazide',
      cells: [
        { arm: 'placebo', a: 0, b: 0 },
        { arm: 'A', a: 1, b: 0 },
        { arm: 'B', a: 0, b: 1 },
        { arm: 'AB', a: 1, b: 1 }
      ]
    });
  });
  it('not without a companion, with a cell twice, or with another number of arms', () => {
    expect(factorialDesignOf({ arms })).toBeNull();
    const twice = [...arms.slice(0, 3), { name: 'A2', regimen: { dose: 10 } }];
    expect(factorialDesignOf({ arms: twice, companion: {} })).toBeNull();
    expect(factorialDesignOf({ arms: arms.slice(0, 3), companion: {} })).toBeNull();
  });
});
