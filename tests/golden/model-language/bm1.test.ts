/**
 * BM1 written as text, the two models the models benchmark times, against R
 * deSolve::lsoda at rtol = atol = 1e-12 on BM1's equations (tests/golden/models/
 * deSolveReference.R, its bm1_reference.csv: twins 1, 2, 3, 500 and 1000 at all 673
 * hours): models/pk2cmt_oral_idr1.model (closed-form PK + the response's ODE) and
 * tests/bench/bm1_full_ode.model (4 ODEs). The contract is the library's: ≤ 1e-5
 * relative at the benchmark's rtol 1e-6; tight tolerances show the equations are BM1's.
 */
import { describe, expect, it } from 'vitest';
import {
  createTwinSimulator,
  simulateChunk,
  type OdeSimulator,
  type SimulationOptions
} from '../../../src/lib/engine/models';
import { AutoStiffSolver } from '../../../src/lib/engine/ode';
import { bm1Doses, bm1Model, bm1ParametersFor, bm1TextModel, bm1Times } from '../../bench/bm1Setup';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { column, readCsv } from '../models/readCsv';

const TWINS = [1, 2, 3, 500, 1000];
const ref = readCsv('bm1_reference.csv');
const times = bm1Times();
const closedForm = bm1TextModel('closed-form PK');
const fullOde = bm1TextModel('full ODE');

/** Worst relative difference of C and R from the reference over the five twins. */
function worst(model: typeof closedForm, options: SimulationOptions): { C: number; R: number } {
  let C = 0;
  let R = 0;
  for (const id of TWINS) {
    const out = simulateChunk(model, bm1ParametersFor(model, id, 1), times, bm1Doses(), options);
    const rows = ref.filter((x) => Number(x.twin) === id);
    expect(column(rows, 'time')).toEqual(times);
    C = Math.max(C, maxRelativeDifference(out.subarray(0, times.length), column(rows, 'C')));
    R = Math.max(R, maxRelativeDifference(out.subarray(times.length), column(rows, 'R')));
  }
  return { C, R };
}

describe('BM1 as text models vs deSolve', () => {
  it('closed-form PK text model: C exact, R within the solver tolerance', () => {
    const d = worst(closedForm, {});
    expect(d.C).toBeLessThan(1e-9);
    expect(d.R).toBeLessThan(1e-5);
    expect(worst(closedForm, { rtol: 1e-10, atol: 1e-12 }).R).toBeLessThan(1e-8);
  });

  it('full-ODE text model at the benchmark tolerance and at a tight one', () => {
    const d = worst(fullOde, {});
    expect(d.C).toBeLessThan(1e-5);
    expect(d.R).toBeLessThan(1e-5);
    const tight = worst(fullOde, { rtol: 1e-10, atol: 1e-12 });
    expect(Math.max(tight.C, tight.R)).toBeLessThan(1e-9); // measured 2.6e-11
  });

  it('the closed-form text model predicts what the library model does, bit for bit', () => {
    const library = bm1Model();
    const a = simulateChunk(closedForm, bm1ParametersFor(closedForm, 1, 20), times, bm1Doses(), {});
    const b = simulateChunk(library, bm1ParametersFor(library, 1, 20), times, bm1Doses(), {});
    expect(a).toEqual(b);
  });

  it('the full-ODE text model stays on the explicit solver (BM1 is not stiff)', () => {
    const sim = createTwinSimulator(fullOde, {}) as OdeSimulator;
    simulateChunk(fullOde, bm1ParametersFor(fullOde, 1, 3), times, bm1Doses(), {}, sim);
    expect(sim.solver).toBeInstanceOf(AutoStiffSolver);
    expect((sim.solver as AutoStiffSolver).switchedAt).toBeNaN();
  });
});
