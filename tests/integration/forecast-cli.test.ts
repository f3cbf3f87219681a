import { describe, expect, it } from 'vitest';
import { twinbench } from '../faults/cli';

// `twinbench forecast` on the worked example (a 20 kg child with two vancomycin levels):
// the same fit and forecasts as the Calibrate page, from the command line.
const data = 'cohorts/vancomycin-child/records.csv';
const model = 'protocols/pediatric-weight-based.yaml';
const base = ['forecast', data, '--model', model, '--low', '400', '--high', '600'];

describe('twinbench forecast', () => {
  it('forecasts regimens and recommends the smallest daily dose reaching the target', () => {
    const r = twinbench([
      ...base,
      '--regimen',
      '15 mg/kg q6h 1h',
      '--regimen',
      '17.5 mg/kg q6h 1h',
      '--regimen',
      '20 mg/kg every 8h over 1h',
      '--format',
      'json'
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.id).toBe('1');
    expect(out.fit.converged).toBe(true);
    // The worked example's fit (tests/golden/vancomycin-child: R optim agrees to 3e-6).
    expect(out.fit.parameters.CL).toBeCloseTo(2.968, 3);
    expect(out.regimens.map((x: { dailyDose: number }) => x.dailyDose)).toEqual([1200, 1400, 1200]);
    // 20 kg × 20 mg/kg every 8 h is the same daily dose as 15 mg/kg every 6 h: AUC24 at
    // steady state is dose/CL for a linear model, so both forecasts agree (to the accuracy
    // of the linear-up/log-down AUC on the forecast's grid, about 1e-4).
    expect(Math.abs(out.regimens[2].median / out.regimens[0].median - 1)).toBeLessThan(2e-4);
    expect(out.recommended).toBe('17.5 mg/kg q6h (350 mg over 1 h)');
    expect(out.reachesThreshold).toBe(true);
    expect(out.reason).toMatch(/smallest daily dose \(1400 mg\/day\)/);
  });

  it('prints a table by default', () => {
    const r = twinbench([...base, '--regimen', '15 mg/kg q6h 1h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^patient 1: CL 2\.968 \(typical 2\.345\)/);
    expect(r.stdout).toMatch(/recommended: /);
  });

  it.each([
    [[...base], /give at least one --regimen/],
    [
      [...base, '--regimen', '15 mg/kilo q6h'],
      /--regimen '15 mg\/kilo q6h': write a dose, its unit \(mg or mg\/kg\)/
    ],
    [[...base, '--regimen', '15 mg/kg q0h'], /--regimen 1: the interval must be a time > 0/],
    [[...base, '--regimen', '15 mg/kg q6h', '--id', '7'], /--id 7: no such patient in the data \(have 1\)/],
    [
      ['forecast', data, '--model', model, '--regimen', '15 mg/kg q6h'],
      /--low: give a lower bound, an upper bound or both/
    ],
    [[...base, '--regimen', '15 mg/kg q6h', '--to', '0'], /--to: the window ends at a time after its start/],
    [
      [...base, '--regimen', '15 mg/kg q6h', '--output', 'X'],
      /--output: the model has no output 'X' \(has C\)/
    ]
  ])('refuses bad options with exit 2: %j', (args, message) => {
    const r = twinbench(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('asks which patient when the data hold several', () => {
    const several = [
      'forecast',
      'tests/golden/calibration/pk2cmt_oral.csv',
      '--model',
      'tests/golden/calibration/pk2cmt_oral_map.model',
      '--regimen',
      '100 mg q12h',
      '--metric',
      'trough',
      '--low',
      '1'
    ];
    const r = twinbench(several);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the data hold 12 patients: choose one with --id \(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … \(12 in all\)\)/
    );
    const one = twinbench([...several, '--to', '12h', '--id', '3', '--start', '48h']);
    expect(one.stderr).toBe('');
    expect(one.stdout).toMatch(/^patient 3: /);
  });
});
