/**
 * Engine vs R deSolve::lsoda at rtol = atol = 1e-12 (script: deSolveReference.R beside
 * this file; its CSV output is committed). Contract: ≤ 1e-5 relative at every time.
 */
import { describe, expect, it } from 'vitest';
import {
  createTwinSimulator,
  parameterIndex,
  resolveModel,
  simulateChunk,
  typicalParameters,
  type OdeModel,
  type OdeSimulator
} from '../../../src/lib/engine/models';
import { AutoStiffSolver } from '../../../src/lib/engine/ode';
import { bm1Doses, bm1Model, bm1Parameters, bm1Times } from '../../bench/bm1Setup';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { column, readCsv } from './readCsv';

const TOLERANCE = 1e-5;

describe('PD models driven by 1-cmt oral PK vs deSolve', () => {
  const rows = readCsv('pd_reference.csv');
  const settings: Record<string, Record<string, number>> = {
    idr1: { R0: 100, KOUT: 0.1, IMAX: 0.9, IC50: 2 },
    idr2: { R0: 100, KOUT: 0.1, IMAX: 0.9, IC50: 2 },
    idr3: { R0: 100, KOUT: 0.1, EMAX: 2, EC50: 2 },
    idr4: { R0: 100, KOUT: 0.1, EMAX: 2, EC50: 2 },
    effect_compartment: { KE0: 0.5, E0: 0, EMAX: 1, EC50: 1, GAMMA: 1.5 },
    transit3: { KTR: 0.5, E0: 0, EMAX: 10, EC50: 1 }
  };
  // output index of the reference 'effect' column in each model
  const effectOutput: Record<string, number> = { effect_compartment: 2 };
  for (const [name, values] of Object.entries(settings)) {
    for (const mode of ['hybrid', 'ode'] as const) {
      it(`${name} (${mode})`, () => {
        const model = resolveModel(`pk1cmt_oral+${name}`);
        const p = typicalParameters(model);
        Object.assign(p, { [parameterIndex(model, 'CL')]: 5, [parameterIndex(model, 'V')]: 50 });
        p[parameterIndex(model, 'KA')] = 1;
        for (const [k, v] of Object.entries(values)) p[parameterIndex(model, k)] = v;
        const ref = rows.filter((r) => r.model === name);
        const times = Float64Array.from(ref, (r) => Number(r.time));
        const doses = [0, 24, 48].map((t) => ({ time: t, amount: 100, target: 'depot' }));
        const out = simulateChunk(model, p, times, doses, { mode, rtol: 1e-10, atol: 1e-12 });
        const nT = times.length;
        const o = effectOutput[name] ?? 1;
        const worst = Math.max(
          maxRelativeDifference(out.subarray(0, nT), column(ref, 'C')),
          maxRelativeDifference(out.subarray(o * nT, (o + 1) * nT), column(ref, 'effect'))
        );
        expect(worst).toBeLessThan(TOLERANCE);
      });
    }
  }
});

describe('tumour growth inhibition and disease progression vs deSolve', () => {
  // 1-cmt oral PK (CL 5 L/h, V 50 L, KA 1/h), 100 mg q24h × 42, observed every 8 h to 2016 h.
  const rows = readCsv('progression_reference.csv');
  const placeboAndEffects = { S0: 30, PMAX: 2, PHALF: 168, EMAXDM: 0.5, EC50DM: 1, EMAXSYM: 3, EC50SYM: 1 };
  const settings: Record<string, Record<string, number>> = {
    tgi_claret: { SLD0: 80, KL: 0.0003, KD0: 0.001, LAMBDA: 0.002 },
    disease_linear: { ...placeboAndEffects, SLOPE: 0.002 },
    disease_exponential: { ...placeboAndEffects, KPROG: 0.0002 },
    disease_asymptotic: { ...placeboAndEffects, KPROG: 0.0005, SSS: 60 }
  };
  const doses = Array.from({ length: 42 }, (_, i) => ({ time: 24 * i, amount: 100, target: 'depot' }));
  for (const [name, values] of Object.entries(settings)) {
    for (const mode of ['hybrid', 'ode'] as const) {
      it(`${name} (${mode})`, () => {
        const model = resolveModel(`pk1cmt_oral+${name}`);
        const p = typicalParameters(model);
        p[parameterIndex(model, 'CL')] = 5;
        p[parameterIndex(model, 'V')] = 50;
        p[parameterIndex(model, 'KA')] = 1;
        for (const [k, v] of Object.entries(values)) p[parameterIndex(model, k)] = v;
        const ref = rows.filter((r) => r.model === name);
        expect(ref.length).toBe(253);
        const times = Float64Array.from(ref, (r) => Number(r.time));
        const out = simulateChunk(model, p, times, doses, { mode, rtol: 1e-10, atol: 1e-12 });
        const nT = times.length;
        // After the last dose C decays to ~1e-25 mg/L, below the reference's absolute
        // accuracy (lsoda atol 1e-12 on amounts): differences are relative to 1e-6 mg/L there.
        const worstC = maxRelativeDifference(out.subarray(0, nT), column(ref, 'C'), 1e-6);
        const worstEffect = maxRelativeDifference(out.subarray(nT, 2 * nT), column(ref, 'effect'));
        expect(worstC).toBeLessThan(TOLERANCE);
        expect(worstEffect).toBeLessThan(TOLERANCE);
      });
    }
  }
});

/** The largest relative difference of L, R and RL (outputs 0, 1, 2) from the reference rows. */
function worstTmdd(out: Float64Array, ref: Record<string, string>[]): number {
  const nT = ref.length;
  return Math.max(
    ...['L', 'R', 'RL'].map((name, o) =>
      maxRelativeDifference(out.subarray(o * nT, (o + 1) * nT), column(ref, name))
    )
  );
}

describe('full TMDD (stiff) vs deSolve', () => {
  it('matches L, R and RL with the Rosenbrock solver', () => {
    const model = resolveModel('tmdd_full');
    const ref = readCsv('tmdd_reference.csv');
    const times = Float64Array.from(ref, (r) => Number(r.time));
    const doses = [
      { time: 0, amount: 100, target: 'central' },
      { time: 48, amount: 50, target: 'central', duration: 4 }
    ];
    const out = simulateChunk(model, typicalParameters(model), times, doses, { rtol: 1e-10, atol: 1e-12 });
    const worst = worstTmdd(out, ref);
    expect(worst).toBeLessThan(TOLERANCE);
  });
});

describe('stiffness detection on TMDD declared non-stiff', () => {
  const stiffModel = resolveModel('tmdd_full') as OdeModel;
  let rhsCalls = 0;
  const model: OdeModel = {
    ...stiffModel,
    name: 'tmdd_full_declared_nonstiff',
    stiff: false,
    rhs(t, y, p, dy) {
      rhsCalls++;
      stiffModel.rhs(t, y, p, dy);
    }
  };
  const ref = readCsv('tmdd_reference.csv');
  const times = Float64Array.from(ref, (r) => Number(r.time));
  const doses = [
    { time: 0, amount: 100, target: 'central' },
    { time: 48, amount: 50, target: 'central', duration: 4 }
  ];

  it('matches deSolve at the typical parameters with the automatic choice', () => {
    const out = simulateChunk(model, typicalParameters(model), times, doses, { rtol: 1e-8, atol: 1e-10 });
    const worst = worstTmdd(out, ref);
    expect(worst).toBeLessThan(TOLERANCE);
  });

  it('switches to Rosenbrock within the first hour when binding is fast (KON × 10)', () => {
    const p = typicalParameters(model);
    p[parameterIndex(model, 'KON')] = 100;
    const tolerance = { rtol: 1e-6, atol: 1e-8 };
    const run = (solver: 'auto' | 'explicit' | 'stiff') => {
      const sim = createTwinSimulator(model, { ...tolerance, solver }) as OdeSimulator;
      rhsCalls = 0;
      const out = simulateChunk(model, p, times, doses, { ...tolerance, solver }, sim);
      return { out, calls: rhsCalls, solver: sim.solver };
    };
    const auto = run('auto');
    const explicit = run('explicit');
    const stiff = run('stiff');
    expect(auto.solver).toBeInstanceOf(AutoStiffSolver);
    const switchedAt = (auto.solver as AutoStiffSolver).switchedAt;
    expect(switchedAt).toBeGreaterThan(0);
    expect(switchedAt).toBeLessThan(1);
    expect(auto.calls).toBeLessThan(explicit.calls / 4);
    // Three solvers, each within its rtol 1e-6 per step, compared with one another rather
    // than with the reference: their errors differ in sign and add up over the run
    // (measured 6.8e-5), so this checks the switch keeps the solution, not the 1e-5 contract.
    const worst = Math.max(
      maxRelativeDifference(auto.out, stiff.out, 1e-6),
      maxRelativeDifference(explicit.out, stiff.out, 1e-6)
    );
    expect(worst).toBeLessThan(1e-4);
  });

  it('leaves a non-stiff model on the explicit solver (BM1 full ODE)', () => {
    const options = { mode: 'ode', rtol: 1e-6, atol: 1e-9 } as const;
    const sim = createTwinSimulator(bm1Model(), options) as OdeSimulator;
    simulateChunk(bm1Model(), bm1Parameters(1, 3), bm1Times(), bm1Doses(), options, sim);
    expect((sim.solver as AutoStiffSolver).switchedAt).toBeNaN();
  });
});

describe('BM1 (2-cmt oral + IDR I, 28 doses) vs deSolve', () => {
  const ref = readCsv('bm1_reference.csv');
  // At the benchmark's rtol 1e-6 (a per-step tolerance) R is within ~1e-7 of the reference
  // at step ends but up to 7.4e-6 (measured, hybrid) between them: outputs inside a step
  // come from the order-4 continuous extension. That still meets the 1e-5 contract; tight
  // tolerances meet it with room (measured 2.2e-9 for R at rtol 1e-10).
  const cases = [
    { mode: 'hybrid', rtol: 1e-6, atol: 1e-9, limit: TOLERANCE },
    { mode: 'ode', rtol: 1e-6, atol: 1e-9, limit: TOLERANCE },
    { mode: 'hybrid', rtol: 1e-10, atol: 1e-12, limit: 1e-8 }
  ] as const;
  for (const { mode, rtol, atol, limit } of cases) {
    it(`twins 1, 2, 3, 500, 1000 at all 673 times (${mode}, rtol ${rtol})`, () => {
      const times = bm1Times();
      let worstC = 0;
      let worstR = 0;
      for (const id of [1, 2, 3, 500, 1000]) {
        const out = simulateChunk(bm1Model(), bm1Parameters(id, 1), times, bm1Doses(), { mode, rtol, atol });
        const rows = ref.filter((x) => Number(x.twin) === id);
        expect(column(rows, 'time')).toEqual(times);
        worstC = Math.max(worstC, maxRelativeDifference(out.subarray(0, times.length), column(rows, 'C')));
        worstR = Math.max(worstR, maxRelativeDifference(out.subarray(times.length), column(rows, 'R')));
      }
      // Closed-form PK is exact; R carries the solver's tolerance.
      if (mode === 'hybrid') expect(worstC).toBeLessThan(1e-9);
      expect(worstC).toBeLessThan(limit);
      expect(worstR).toBeLessThan(limit);
    });
  }
});
