/**
 * The exact path for PD blocks affine in their states (drivenLinearIntegrator.ts): which
 * blocks the compiler finds affine, the matrix exponential and quadrature rule it rests
 * on, its accuracy against Dormand–Prince at tight tolerances (doses, missed doses, an
 * infusion, outputs inside dosing intervals, a feedback loop, an oscillator, long
 * washouts), the fall-back to Dormand–Prince, and that a twin's bits do not depend on
 * the twins simulated before it.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileModelText } from '../../../../src/lib/engine/model-language';
import { simulateChunk, type Dose, type PkPdModel } from '../../../../src/lib/engine/models';
import { DrivenLinearIntegrator } from '../../../../src/lib/engine/models/drivenLinearIntegrator';
import { GAUSS_WEIGHTS, KRONROD_NODES, KRONROD_WEIGHTS } from '../../../../src/lib/engine/ode/gaussKronrod15';
import { MatrixExponential } from '../../../../src/lib/engine/ode/matrixExponential';
import { maxRelativeDifference } from '../../../helpers/relative-difference';

const ROOT = new URL('../../../../', import.meta.url).pathname;

function pkpd(pd: string): PkPdModel {
  const text = [
    'model driven',
    'parameters',
    '  CL = 29',
    '  V = 300',
    '  KA = 1.2',
    '  KIN = 2',
    '  KOUT = 0.2',
    '  K2 = 0.05',
    '  IMAX = 0.6',
    '  IC50 = 0.05',
    'pk one_compartment(oral, CL = CL, V = V, KA = KA)',
    pd
  ].join('\n');
  return compileModelText(text, 'driven.model').model as PkPdModel;
}

const TWO_STATES = [
  'states',
  '  R(0) = KIN / KOUT',
  '  S(0) = KIN / KOUT',
  'odes',
  '  d/dt(R) = KIN * (1 - IMAX * C / (IC50 + C)) - KOUT * R',
  '  d/dt(S) = K2 * (R - S)',
  'outputs',
  '  S = S'
].join('\n');

const daily = (days: number, amount = 100, skip: number[] = []): Dose[] =>
  Array.from({ length: days }, (_, d) => d)
    .filter((d) => !skip.includes(d))
    .map((d) => ({ time: 24 * d, amount, target: 'depot' }));

const grid = (hours: number, step: number) =>
  Float64Array.from({ length: Math.floor(hours / step) + 1 }, (_, k) => k * step);

function exactAndReference(model: PkPdModel, times: Float64Array, doses: Dose[]) {
  const params = Float64Array.from(model.parameters.map((p) => p.value));
  const exact = simulateChunk(model, params, times, doses);
  const reference = simulateChunk(model, params, times, doses, {
    solver: 'explicit',
    rtol: 1e-12,
    atol: 1e-14
  });
  const explicit = simulateChunk(model, params, times, doses, { solver: 'explicit' });
  return {
    exact: maxRelativeDifference(exact, reference, 1e-9),
    dormandPrince: maxRelativeDifference(explicit, reference, 1e-9)
  };
}

describe('affine PD blocks, as the compiler finds them', () => {
  const affine = (odes: string[]) =>
    pkpd(['states', '  R(0) = 1', '  S(0) = 1', 'odes', ...odes, 'outputs', '  S = S'].join('\n')).pd!.affine;

  it('takes constant coefficients, a forcing in C and t, and intermediates', () => {
    expect(
      affine(['  d/dt(R) = KIN * (1 - IMAX * C / (IC50 + C)) - KOUT * R', '  d/dt(S) = K2 * (R - S)'])
    ).toBe(true);
    expect(
      affine(['  gain = KOUT * R', '  d/dt(R) = KIN * exp(-t / 100) - gain', '  d/dt(S) = (R - S) / K2'])
    ).toBe(true);
  });

  it('refuses a coefficient that moves with C or t, and a state under a function or divisor', () => {
    expect(affine(['  d/dt(R) = KIN - KOUT * (1 + C) * R', '  d/dt(S) = K2 * (R - S)'])).toBe(false);
    expect(affine(['  d/dt(R) = KIN - KOUT * t * R', '  d/dt(S) = K2 * (R - S)'])).toBe(false);
    expect(affine(['  d/dt(R) = KIN - KOUT * R * R', '  d/dt(S) = K2 * (R - S)'])).toBe(false);
    expect(affine(['  d/dt(R) = KIN - KOUT * exp(R)', '  d/dt(S) = K2 * (R - S)'])).toBe(false);
    expect(affine(['  d/dt(R) = KIN - KOUT / R', '  d/dt(S) = K2 * (R - S)'])).toBe(false);
    expect(affine(['  d/dt(R) = if(R > 2, KIN, 0) - KOUT * R', '  d/dt(S) = K2 * (R - S)'])).toBe(false);
    expect(affine(['  rate = KOUT * C', '  d/dt(R) = KIN - rate * R', '  d/dt(S) = K2 * (R - S)'])).toBe(
      false
    );
  });
});

describe('the 15-point Gauss–Kronrod rule', () => {
  const integrate = (weights: Float64Array, power: number) =>
    weights.reduce((s, w, i) => s + w * KRONROD_NODES[i] ** power, 0);
  const exact = (power: number) => (power % 2 ? 0 : 2 / (power + 1));

  it('is exact to degree 22 (Kronrod) and 13 (Gauss), and no further', () => {
    for (let p = 0; p <= 22; p++) expect(integrate(KRONROD_WEIGHTS, p)).toBeCloseTo(exact(p), 14);
    for (let p = 0; p <= 13; p++) expect(integrate(GAUSS_WEIGHTS, p)).toBeCloseTo(exact(p), 14);
    expect(Math.abs(integrate(GAUSS_WEIGHTS, 14) - exact(14))).toBeGreaterThan(1e-6);
    expect(Math.abs(integrate(KRONROD_WEIGHTS, 24) - exact(24))).toBeGreaterThan(1e-9);
  });
});

describe('the matrix exponential', () => {
  const expm = (a: number[], tau: number) => {
    const n = Math.sqrt(a.length);
    const e = new MatrixExponential(n);
    e.setMatrix(Float64Array.from(a));
    const out = new Float64Array(n * n);
    e.compute(tau, out);
    return Array.from(out);
  };
  const close = (got: number[], want: number[]) =>
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-14 * Math.max(1, Math.abs(want[i]))));

  it('of a triangular matrix, lower or upper, by its eigenvectors', () => {
    // [[-a, 0], [c, -b]]: e^{At} = [[e^{-at}, 0], [c(e^{-at} − e^{-bt})/(b − a), e^{-bt}]]
    const [a, b, c] = [0.0096, 0.00075, 0.0047];
    for (const t of [0.3, 24, 700]) {
      const ea = Math.exp(-a * t);
      const eb = Math.exp(-b * t);
      const lower = [ea, 0, (c * (ea - eb)) / (b - a), eb];
      close(expm([-a, 0, c, -b], t), lower);
      close(expm([-a, c, 0, -b], t), [lower[0], lower[2], 0, lower[3]]);
    }
  });

  it('of a transit chain (equal rates, not diagonalisable) and of a rotation, by its series', () => {
    const k = 0.5;
    for (const t of [0.1, 24, 100]) {
      const kt = k * t;
      const x = Math.exp(-kt);
      close(expm([-k, 0, 0, k, -k, 0, 0, k, -k], t), [x, 0, 0, kt * x, x, 0, ((kt * kt) / 2) * x, kt * x, x]);
      close(expm([0, 1, -1, 0], t), [Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t)]);
    }
  });
});

describe('the exact path against Dormand–Prince at rtol 1e-12', () => {
  it('is far closer than Dormand–Prince at the default tolerance, for the shipped diabetes model', () => {
    const model = compileModelText(
      readFileSync(`${ROOT}models/pk1cmt_oral_fpg_hba1c.model`, 'utf8'),
      'fpg_hba1c.model'
    ).model as PkPdModel;
    expect(model.pd!.affine).toBe(true);
    // 24 weeks of daily doses, three missed, visits every 4 weeks and one mid-interval output
    const times = Float64Array.from([0, 30.5, ...Array.from({ length: 6 }, (_, k) => 672 * (k + 1))]);
    const r = exactAndReference(model, times, daily(168, 100, [3, 40, 41]));
    expect(r.exact).toBeLessThan(1e-8);
    expect(r.dormandPrince).toBeGreaterThan(10 * r.exact);
  });

  it('holds with an infusion, outputs every 2.5 h and a washout of weeks', () => {
    const model = pkpd(TWO_STATES);
    const doses: Dose[] = [...daily(5), { time: 130, amount: 100, target: 'central', duration: 2 }];
    const r = exactAndReference(model, grid(1200, 2.5), doses);
    expect(r.exact).toBeLessThan(1e-8);
  });

  it('holds for states of 1e10 (A is read with steps of their size, not beside a forcing of 1e9)', () => {
    const model = pkpd(
      [
        'states',
        '  R(0) = 1e9 * KIN / KOUT',
        '  S(0) = 1e9 * KIN / KOUT',
        'odes',
        '  d/dt(R) = 1e9 * KIN * (1 - IMAX * C / (IC50 + C)) - KOUT * R',
        '  d/dt(S) = K2 * (R - S)',
        'outputs',
        '  S = S'
      ].join('\n')
    );
    expect(exactAndReference(model, grid(480, 4), daily(14)).exact).toBeLessThan(1e-8);
  });

  it('holds for a feedback loop and a forced oscillator (matrices that are not triangular)', () => {
    const feedback = pkpd(
      [
        'states',
        '  R(0) = KIN / KOUT',
        '  S(0) = 0',
        'odes',
        '  d/dt(R) = KIN * (1 - IMAX * C / (IC50 + C)) - KOUT * R + K2 * S - K2 * R',
        '  d/dt(S) = K2 * R - K2 * S',
        'outputs',
        '  R = R'
      ].join('\n')
    );
    const oscillator = pkpd(
      [
        'states',
        '  X(0) = 0',
        '  U(0) = 0',
        'odes',
        '  d/dt(X) = U',
        '  d/dt(U) = IMAX * C / (IC50 + C) - K2 * X - KOUT * U',
        'outputs',
        '  X = X'
      ].join('\n')
    );
    for (const model of [feedback, oscillator]) {
      expect(model.pd!.affine).toBe(true);
      expect(exactAndReference(model, grid(480, 4), daily(14)).exact).toBeLessThan(1e-8);
    }
  });
});

describe('the exact path', () => {
  afterEach(() => vi.restoreAllMocks());

  it('leaves an interval whose forcing jumps inside it to Dormand–Prince, and stays accurate', () => {
    const model = pkpd(
      [
        'states',
        '  R(0) = KIN / KOUT',
        '  S(0) = KIN / KOUT',
        'odes',
        '  d/dt(R) = KIN * if(t > 30.3, 2, 1) * (1 - IMAX * C / (IC50 + C)) - KOUT * R',
        '  d/dt(S) = K2 * (R - S)',
        'outputs',
        '  S = S'
      ].join('\n')
    );
    const gaveUp: number[] = [];
    const integrate = DrivenLinearIntegrator.prototype.integrate;
    vi.spyOn(DrivenLinearIntegrator.prototype, 'integrate').mockImplementation(function (
      this: DrivenLinearIntegrator,
      ...args
    ) {
      const k = integrate.apply(this, args);
      if (!Number.isNaN(this.gaveUpAt)) gaveUp.push(this.gaveUpAt);
      return k;
    });
    const r = exactAndReference(model, grid(96, 4), daily(4));
    expect(gaveUp).toEqual([28]);
    // as accurate as Dormand–Prince alone, which the jump costs its accuracy too
    expect(r.exact).toBeLessThan(2 * r.dormandPrince);
  });

  it("gives a twin the same bits whatever twins were simulated before it (its layouts' cache)", () => {
    const model = pkpd(TWO_STATES);
    const n = model.parameters.length;
    const twin = Float64Array.from(model.parameters.map((p) => p.value));
    const other = twin.map((v, i) => (model.parameters[i].name === 'KOUT' ? v * 3 : v));
    const times = grid(240, 12);
    const doses = daily(10, 100, [4]);
    const alone = simulateChunk(model, twin, times, doses);
    const both = new Float64Array(3 * n);
    both.set(twin, 0);
    both.set(other, n);
    both.set(twin, 2 * n);
    const after = simulateChunk(model, both, times, doses);
    const size = alone.length;
    expect(Buffer.from(after.buffer, 0, 8 * size).equals(Buffer.from(alone.buffer))).toBe(true);
    expect(Buffer.from(after.buffer, 16 * size, 8 * size).equals(Buffer.from(alone.buffer))).toBe(true);
  });
});
