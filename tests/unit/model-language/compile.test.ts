import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import {
  resolveModel,
  simulateChunk,
  typicalParameters,
  type OdeModel
} from '../../../src/lib/engine/models';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { DECAY, modelFile, shippedModel } from './problems';

const times = Float64Array.from({ length: 97 }, (_, k) => k * 1.5);

describe('model language: compiler', () => {
  it('compiles an ODE model whose profile is the analytic solution', () => {
    const { model } = compileModelText(DECAY);
    expect(model.kind).toBe('ode');
    expect(model.doseTargets).toEqual([{ name: 'A', state: 0 }]);
    const out = simulateChunk(model, typicalParameters(model), times, [], { rtol: 1e-10, atol: 1e-12 });
    const exact = times.map((t) => 10 * Math.exp(-0.1 * t));
    // Local error ≤ rtol 1e-10 per step accumulates over some hundred steps, relative to a
    // solution that falls by e^-14.4.
    expect(maxRelativeDifference(out, exact)).toBeLessThan(1e-7);
  });

  it('recomputes cached individual quantities when a twin changes the parameters they use', () => {
    const text = DECAY.replace('states', 'individual\n  KE = exp(LK) * 0.5 [1/h]\nstates')
      .replace('  A0 = 10', '  LK = -1 [1]\n  A0 = 10')
      .replace('-K * A', '-KE * A');
    const { model, source } = compileModelText(text);
    expect(source).toContain('function individual(p)');
    const nP = model.parameters.length;
    const lk = [-1, 0.5, 0.5, -2];
    const params = new Float64Array(lk.length * nP);
    lk.forEach((v, r) => params.set([0.1, v, 10], r * nP));
    const out = simulateChunk(model, params, times, [], { rtol: 1e-10, atol: 1e-12 });
    lk.forEach((v, r) => {
      const exact = times.map((t) => 10 * Math.exp(-Math.exp(v) * 0.5 * t));
      const row = out.subarray(r * times.length, (r + 1) * times.length);
      // Below 1e-4 the solver's atol (1e-12) governs: compared absolutely there.
      expect(maxRelativeDifference(row, exact, 1e-4)).toBeLessThan(1e-6);
    });
  });

  it('writes a cheap individual quantity where it is used instead of caching it', () => {
    const { source } = compileModelText(modelFile('pk2cmt_oral_idr1.model'));
    expect(source).not.toContain('function individual(p)');
    expect(source).toContain('(p[7] * p[6])');
  });

  it('gives its variability and residual error as a protocol model section', () => {
    const { defaults } = compileModelText(modelFile('pk2cmt_oral_idr1.model'));
    expect(defaults).toEqual({
      model: 'pk2cmt_oral_idr1',
      iiv: {
        parameters: ['CL', 'V1', 'IMAX'],
        omega: [
          [0.09, 0.3 * Math.sqrt(0.09 * 0.04), 0],
          [0.3 * Math.sqrt(0.09 * 0.04), 0.04, 0],
          [0, 0, 0.2]
        ],
        transforms: { CL: 'lognormal', V1: 'lognormal', IMAX: 'logitnormal' },
        bounds: { IMAX: [0, 1] }
      },
      residualError: {
        CP: { type: 'proportional', proportional: 0.1 },
        SBP: { type: 'additive', additive: 4 }
      }
    });
  });

  it('compiles a model with pk to closed-form PK with its states as the PD block', () => {
    const { model } = compileModelText(modelFile('pk2cmt_oral_idr1.model'));
    expect(model.kind).toBe('pkpd');
    if (model.kind !== 'pkpd') return;
    expect(model.pk.structure).toEqual({ compartments: 2, depot: true });
    expect(model.outputs.map((o) => o.name)).toEqual(['CP', 'SBP']);
    expect(model.doseTargets).toEqual([
      { name: 'depot', state: 0, bioavailability: 'F1', lag: undefined },
      { name: 'central', state: 1 }
    ]);
  });

  it('adds the concentration C as output 0 when no output is C itself', () => {
    const text = modelFile('pk2cmt_oral_idr1.model').replace('CP = C   [mg/L]', 'CP = 2 * C   [mg/L]');
    const { model } = compileModelText(text);
    expect(model.outputs.map((o) => o.name)).toEqual(['C', 'CP', 'SBP']);
  });

  it('the analytic Jacobian agrees with finite differences, through intermediates and branches', () => {
    const text = `model nonlinear
parameters
  K = 0.3
  VM = 2
  KM = 0.5
states
  A(0) = 3
  B(0) = 1
  D(0) = 0.5
odes
  flux = VM * A / (KM + A)
  gate = if(B > 0.8, B^2, sqrt(B))
  d/dt(A) = -flux * gate + pow(D, 1.5) - abs(A - B) * 0.01
  d/dt(B) = flux - K * max(B, D, 0.1) + log(1 + A) * exp(-D)
  d/dt(D) = K * min(A, B) - log10(2 + D) * D + t / (1 + A * B)
outputs
  Y = A + B + D
`;
    const model = compileModelText(text).model as OdeModel;
    const p = typicalParameters(model);
    for (const y of [
      [3, 1, 0.5],
      [0.2, 0.5, 2],
      [1, 0.9, 0.05]
    ]) {
      const jac = new Float64Array(9);
      model.jacobian!(2, Float64Array.from(y), p, jac);
      const f0 = new Float64Array(3);
      const f1 = new Float64Array(3);
      for (let j = 0; j < 3; j++) {
        const h = 1e-6 * Math.max(1, Math.abs(y[j]));
        const lo = Float64Array.from(y);
        const hi = Float64Array.from(y);
        lo[j] -= h;
        hi[j] += h;
        model.rhs(2, lo, p, f0);
        model.rhs(2, hi, p, f1);
        for (let i = 0; i < 3; i++) expect(jac[i * 3 + j]).toBeCloseTo((f1[i] - f0[i]) / (2 * h), 6);
      }
    }
  });

  it('the text pk2cmt_oral+idr1 gives the library profile to 1e-9 relative (hybrid and full ODE)', () => {
    const text = compileModelText(modelFile('pk2cmt_oral_idr1.model')).model;
    const library = resolveModel('pk2cmt_oral+idr1');
    const value = (name: string) => text.parameters.find((p) => p.name === name)!.value;
    const names: Record<string, string> = { F: 'F1' };
    const libraryParams = Float64Array.from(library.parameters, (p) =>
      p.name === 'TLAG' ? 0 : value(names[p.name] ?? p.name)
    );
    const doses = [0, 24, 48, 72].map((time) => ({ time, amount: 100, target: 'depot' }));
    for (const mode of ['auto', 'ode'] as const) {
      const a = simulateChunk(text, typicalParameters(text), times, doses, { mode });
      const b = simulateChunk(library, libraryParams, times, doses, { mode });
      expect(maxRelativeDifference(a, b)).toBeLessThan(1e-9);
    }
  });

  it('the text tmdd_full gives the library profile to 1e-9 relative (stiff, analytic Jacobian)', () => {
    const text = compileModelText(shippedModel('tmdd_full.model')).model;
    const library = resolveModel('tmdd_full');
    expect(text.parameters).toEqual(
      library.parameters.map((p) => ({ ...p, unit: expect.any(String), description: expect.any(String) }))
    );
    const doses = [
      { time: 0, amount: 30, target: 'central' },
      { time: 72, amount: 30, target: 'central', duration: 2 }
    ];
    const a = simulateChunk(text, typicalParameters(text), times, doses);
    const b = simulateChunk(library, typicalParameters(library), times, doses);
    expect(maxRelativeDifference(a, b)).toBeLessThan(1e-9);
  });

  it('caches compiled models by their text', () => {
    const a = compileModelText(DECAY);
    expect(compileModelText(DECAY)).toBe(a);
    expect(compileModelText(DECAY + '\n')).not.toBe(a);
  });
});
