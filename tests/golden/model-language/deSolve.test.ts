/**
 * Models written in the model language against R deSolve::lsoda (rtol = atol = 1e-12) on
 * the same equations (deSolveReference.R beside this file; its CSV output is committed).
 * The models declare rtol 1e-10, atol 1e-12: a local error of 1e-10 per step, over the
 * few hundred steps of 96 h with restarts at every dose, stays below 1e-7 relative; the
 * closed-form PK is exact (observed: at most 6e-9). Values below 1e-9 are compared
 * absolutely (the floor).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { parameterValues, typicalProfile } from '../../../src/lib/engine/model-language/typical-profile';
import type { Dose } from '../../../src/lib/engine/models';
import { twinbench } from '../../faults/cli';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { column, readCsv } from '../models/readCsv';

const TOLERANCE = 1e-7;
const FLOOR = 1e-9;
const rows = readCsv('../model-language/deSolve_reference.csv');
const here = new URL('.', import.meta.url).pathname;
const doses = (target: string, amount: number, at: number[]): Dose[] =>
  at.map((time) => ({ time, amount, target }));

const cases: { file: string; reference: string; doses: Dose[]; outputs: string[] }[] = [
  {
    file: 'pk2cmt_oral.model',
    reference: 'pk2cmt_oral',
    doses: doses('oral', 100, [0, 24, 48]),
    outputs: ['C']
  },
  {
    file: 'pk2cmt_oral_closed.model',
    reference: 'pk2cmt_oral',
    doses: doses('depot', 100, [0, 24, 48]),
    outputs: ['C']
  },
  { file: 'idr1.model', reference: 'idr1', doses: doses('depot', 100, [0, 24, 48]), outputs: ['C', 'E'] },
  { file: 'transit.model', reference: 'transit', doses: doses('depot', 100, [0, 24]), outputs: ['C'] },
  { file: 'emax_if.model', reference: 'emax_if', doses: doses('A', 100, [0, 48]), outputs: ['C', 'E'] }
];

describe('model-language models vs deSolve', () => {
  for (const c of cases) {
    it(`${c.file}`, () => {
      const ref = rows.filter((r) => r.model === c.reference);
      const times = column(ref, 'time');
      const compiled = compileModelText(readFileSync(here + c.file, 'utf8'), c.file);
      const profile = typicalProfile(compiled, parameterValues(compiled, new Map()), c.doses, times);
      for (const name of c.outputs) {
        const values = profile.values[profile.columns.indexOf(name)];
        expect(maxRelativeDifference(values, column(ref, name), FLOOR)).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('twinbench model simulate prints the same profile', () => {
    const r = twinbench([
      'model',
      'simulate',
      `${here}idr1.model`,
      ...['--dose', '100@0', '--dose', '100@24', '--dose', '100@48', '--times', '0.25:0.5:95.75']
    ]);
    expect(r.code).toBe(0);
    const [header, ...lines] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('time,C,E,R');
    const printed = lines.map((l) => l.split(',').map(Number));
    const ref = rows.filter((x) => x.model === 'idr1');
    expect(printed.map((p) => p[0])).toEqual([...column(ref, 'time')]);
    expect(
      maxRelativeDifference(
        printed.map((p) => p[1]),
        column(ref, 'C'),
        FLOOR
      )
    ).toBeLessThan(TOLERANCE);
    expect(
      maxRelativeDifference(
        printed.map((p) => p[2]),
        column(ref, 'E'),
        FLOOR
      )
    ).toBeLessThan(TOLERANCE);
  });
});
