// The Calibrate page's target and regimen forms read into the forecast's types.
import { describe, expect, it } from 'vitest';
import type { PatientRecord } from '../../../src/lib/engine/calibration/patient-record';
import {
  defaultRegimens,
  defaultTarget,
  MAX_CANDIDATES,
  patientWeight,
  readCandidates,
  readTarget
} from '../../../src/lib/engine/calibration/forecast-fields';

const steady = { steadyState: true, start: '' };

describe('readTarget', () => {
  it('reads the vancomycin default: AUC of C over 0–24 h in 400–600, P ≥ 80 %', () => {
    expect(readTarget(defaultTarget('C'), ['C'])).toEqual({
      target: { output: 'C', metric: 'auc', from: 0, to: 24, low: 400, high: 600 },
      threshold: 0.8
    });
  });

  it('accepts an open range and times with units', () => {
    const r = readTarget({ ...defaultTarget('C'), metric: 'trough', to: '6h', low: '10', high: '' }, ['C']);
    expect(r).toMatchObject({ target: { metric: 'trough', to: 6, low: 10, high: undefined } });
  });

  it('names the field that is wrong', () => {
    const field = (f: Partial<ReturnType<typeof defaultTarget>>, outputs = ['C']) => {
      const r = readTarget({ ...defaultTarget('C'), ...f }, outputs);
      return r.problem?.field;
    };
    expect(field({}, ['E'])).toBe('output');
    expect(field({ from: '-1' })).toBe('from');
    expect(field({ to: '0' })).toBe('to');
    expect(field({ low: 'x' })).toBe('low');
    expect(field({ low: '', high: '' })).toBe('low');
    expect(field({ low: '600', high: '400' })).toBe('high');
    expect(field({ threshold: '0' })).toBe('threshold');
    expect(field({ threshold: '101' })).toBe('threshold');
  });
});

describe('readCandidates', () => {
  it('converts mg/kg with the weight and labels each regimen', () => {
    const { regimens, problems, listProblem } = readCandidates(defaultRegimens().slice(1, 2), steady, 20);
    expect(listProblem).toBeUndefined();
    expect(problems).toEqual([undefined]);
    expect(regimens).toEqual([
      {
        label: '15 mg/kg q6h (300 mg over 1 h)',
        amount: 300,
        interval: 6,
        duration: 1,
        start: 0,
        steadyState: true
      }
    ]);
  });

  it('keeps mg doses and a start on the data clock', () => {
    const rows = [{ dose: '250', unit: 'mg' as const, every: '12h', infusion: '' }];
    const { regimens } = readCandidates(rows, { steadyState: false, start: '24' }, undefined);
    expect(regimens).toEqual([
      {
        label: 'q12h (250 mg)',
        amount: 250,
        interval: 12,
        duration: undefined,
        start: 24,
        steadyState: false
      }
    ]);
  });

  it('names each wrong row, and mg/kg without a weight', () => {
    const rows = [
      { dose: '0', unit: 'mg' as const, every: '6', infusion: '1' },
      { dose: '15', unit: 'mg/kg' as const, every: '6', infusion: '1' },
      { dose: '15', unit: 'mg' as const, every: 'daily', infusion: '1' },
      { dose: '15', unit: 'mg' as const, every: '6', infusion: '6' }
    ];
    const { regimens, problems } = readCandidates(rows, steady, undefined);
    expect(regimens).toEqual([]);
    expect(problems[0]).toMatch(/^regimen 1: the dose/);
    expect(problems[1]).toMatch(/^regimen 2: a dose in mg\/kg needs the patient's weight/);
    expect(problems[2]).toMatch(/^regimen 3: the interval/);
    expect(problems[3]).toMatch(/^regimen 4: the infusion/);
  });

  it('refuses an empty list, too many regimens and a bad start', () => {
    expect(readCandidates([], steady, 20).listProblem).toBe('add a regimen to compare');
    const many = Array.from({ length: MAX_CANDIDATES + 1 }, () => defaultRegimens()[0]);
    expect(readCandidates(many, steady, 20).listProblem).toMatch(/^at most 12 regimens/);
    expect(readCandidates(defaultRegimens(), { steadyState: false, start: 'soon' }, 20).listProblem).toMatch(
      /^the regimens start at a time/
    );
  });
});

describe('patientWeight', () => {
  const record = (covariates: Record<string, number>) => ({ covariates }) as unknown as PatientRecord;
  it('finds weight or WT in any case, and nothing else', () => {
    expect(patientWeight(record({ weight: 20 }))).toBe(20);
    expect(patientWeight(record({ WT: 31.5 }))).toBe(31.5);
    expect(patientWeight(record({ BW: 20 }))).toBeUndefined();
    expect(patientWeight(record({ wt: 0 }))).toBeUndefined();
  });
});
