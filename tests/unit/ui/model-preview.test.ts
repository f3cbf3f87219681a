// The Models page's preview: the regimen form, the time grid, the sliders, and the
// profile it shows against the closed form of one-compartment IV PK.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import {
  checkedTypicalProfile,
  parameterValues
} from '../../../src/lib/engine/model-language/typical-profile';
import {
  parameterBounds,
  PREVIEW_POINTS,
  previewTimes,
  readRegimen,
  SLIDER_STEPS,
  sliderScale,
  type RegimenFields
} from '../../../src/lib/ui/model-preview';

const fields: RegimenFields = {
  amount: '100',
  every: '24h',
  count: '3',
  target: 'central',
  infusion: '',
  horizon: '3d'
};

describe('readRegimen', () => {
  it('gives a dose every interval and the horizon in hours', () => {
    const { regimen } = readRegimen(fields);
    expect(regimen!.horizon).toBe(72);
    expect(regimen!.doses).toEqual(
      [0, 24, 48].map((time) => ({ amount: 100, time, target: 'central', duration: 0 }))
    );
    expect(readRegimen({ ...fields, infusion: '30min' }).regimen!.doses[0].duration).toBe(0.5);
    // One dose needs no interval.
    expect(readRegimen({ ...fields, count: '1', every: '' }).regimen!.doses).toHaveLength(1);
  });

  it('names the field that is wrong', () => {
    const field = (f: Partial<RegimenFields>) => readRegimen({ ...fields, ...f }).problem?.field;
    expect(field({ amount: '' })).toBe('amount');
    expect(field({ amount: '-1' })).toBe('amount');
    expect(field({ amount: 'ten' })).toBe('amount');
    expect(field({ count: '0' })).toBe('count');
    expect(field({ count: '2.5' })).toBe('count');
    expect(field({ count: '1e9' })).toBe('count');
    expect(field({ every: '0h' })).toBe('every');
    expect(field({ every: 'daily' })).toBe('every');
    expect(field({ infusion: '-1' })).toBe('infusion');
    expect(field({ horizon: '0' })).toBe('horizon');
    expect(field({ horizon: 'Infinity' })).toBe('horizon');
  });
});

describe('sliderScale', () => {
  it('spans a tenth to ten times a typical value on a log scale', () => {
    const s = sliderScale(5);
    expect(s.toValue(0)).toBe(0.5);
    expect(s.toValue(SLIDER_STEPS / 2)).toBe(5);
    expect(s.toValue(SLIDER_STEPS)).toBe(50);
    expect(s.toPosition(5)).toBe(SLIDER_STEPS / 2);
    expect(s.toPosition(500)).toBe(SLIDER_STEPS);
    expect(s.toPosition(-1)).toBe(0);
    // A negative typical value (a fall in pressure) keeps its sign.
    expect(sliderScale(-25).toValue(SLIDER_STEPS)).toBe(-250);
    expect(sliderScale(3).toValue(123)).toBe(Number((3 * 10 ** (0.246 - 1)).toPrecision(3)));
  });

  it('spans the bounds when there are some, and 0 to 10 for a typical value of 0', () => {
    expect(sliderScale(0.9, [0, 1]).toValue(SLIDER_STEPS)).toBe(1);
    expect(sliderScale(0.9, [0, 1]).toPosition(0.9)).toBe(900);
    expect(sliderScale(50, [20, 120]).toValue(SLIDER_STEPS / 4)).toBe(45);
    expect(sliderScale(50, [20, 120]).toPosition(200)).toBe(SLIDER_STEPS);
    expect(sliderScale(0).toValue(SLIDER_STEPS / 4)).toBe(2.5);
  });
});

describe('parameterBounds', () => {
  it("bounds a bioavailability to [0, 1] and a logit parameter to its variability's bounds", () => {
    const text = readFileSync('models/pk1cmt_oral_idr1.model', 'utf8').replace(
      '\nindividual',
      '\nvariability\n  IMAX ~ logit(var = 0.2, lower = 0.1, upper = 0.95)\n  CL ~ lognormal(var = 0.1)\n\nindividual'
    );
    const bounds = parameterBounds(compileModelText(text));
    expect([...bounds.entries()].sort()).toEqual([
      ['F', [0, 1]],
      ['IMAX', [0.1, 0.95]]
    ]);
  });
});

describe('the preview of models/pk1cmt_iv.model', () => {
  // A time that is also a dose's time shows the value before that dose (the engine's rule).
  it('is the closed form of one-compartment IV PK, C(t) = Σ_{tᵢ<t} D/V·exp(−CL/V·(t − tᵢ))', () => {
    const compiled = compileModelText(readFileSync('models/pk1cmt_iv.model', 'utf8'), 'pk1cmt_iv.model');
    const { regimen } = readRegimen(fields);
    const times = previewTimes(regimen!.horizon);
    expect(times).toHaveLength(PREVIEW_POINTS);
    expect(times[PREVIEW_POINTS - 1]).toBe(72);
    const p = parameterValues(compiled, new Map([['CL', 8]]));
    const profile = checkedTypicalProfile(compiled, p, regimen!.doses, times, 'pk1cmt_iv.model');
    const c = profile.values[profile.columns.indexOf('C')];
    const k = 8 / 50;
    times.forEach((t, i) => {
      const expected = [0, 24, 48]
        .filter((d) => d < t)
        .reduce((s, d) => s + (100 / 50) * Math.exp(-k * (t - d)), 0);
      expect(c[i]).toBeCloseTo(expected, 10);
    });
  });
});
