import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LinearCompartmentModes, ModalPkState } from '../../../../src/lib/engine/pk';
import {
  parameterIndex,
  resolveModel,
  simulateChunk,
  typicalParameters,
  type Dose
} from '../../../../src/lib/engine/models';

const rate = fc.double({ min: 0.01, max: 5, noNaN: true });
const times = Float64Array.from({ length: 97 }, (_, i) => i * 0.5);
const close = (a: number, b: number, tol = 1e-9) =>
  Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-12);

describe('closed-form PK properties (fast-check)', () => {
  it('IV bolus mass balance: amount in the body + amount eliminated = dose', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3),
        rate,
        rate,
        rate,
        rate,
        rate,
        fc.double({ min: 0, max: 100, noNaN: true }),
        (cmt, k10, k12, k21, k13, k31, t) => {
          const modes = new LinearCompartmentModes({ compartments: cmt as 1 | 2 | 3, depot: false });
          modes.setRates(0, k10, k12, k21, k13, k31);
          const state = new ModalPkState(modes);
          state.reset(0);
          state.addBolus(0, 100);
          // eliminated = k10 ∫ A_central = k10 Σ_k V_ck z_k(0) (e^{μ t} − 1)/μ
          let eliminated = 0;
          for (let k = 0; k < modes.size; k++)
            eliminated += (k10 * modes.v[k] * state.z[k] * Math.expm1(modes.mu[k] * t)) / modes.mu[k];
          state.advanceTo(t);
          let body = 0;
          for (let i = 0; i < modes.size; i++) {
            const a = state.amount(i);
            expect(a).toBeGreaterThanOrEqual(-1e-9);
            body += a;
          }
          expect(Math.abs(body + eliminated - 100)).toBeLessThan(1e-8);
        }
      ),
      { numRuns: 200 }
    );
  });

  const model = resolveModel('pk2cmt_oral+sigmoid_emax');
  const doseArb = fc.record({
    time: fc.double({ min: 0, max: 40, noNaN: true }),
    amount: fc.double({ min: 0, max: 500, noNaN: true }),
    target: fc.constantFrom('depot', 'central'),
    duration: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 12, noNaN: true }))
  });
  const paramsArb = fc.record({
    CL: rate,
    V1: rate,
    Q: rate,
    V2: rate,
    KA: rate,
    F: fc.double({ min: 0.1, max: 1, noNaN: true })
  });
  const build = (v: Record<string, number>) => {
    const p = typicalParameters(model);
    for (const [k, x] of Object.entries(v))
      p[parameterIndex(model, k)] = k === 'F' || k === 'KA' ? x : x * 10;
    return p;
  };

  it('dose proportionality, superposition and non-negative concentrations', () => {
    fc.assert(
      fc.property(
        paramsArb,
        fc.array(doseArb, { minLength: 1, maxLength: 6 }),
        fc.array(doseArb, { minLength: 1, maxLength: 6 }),
        (pv, a, b) => {
          const p = build(pv);
          const ca = simulateChunk(model, p, times, a).subarray(0, times.length);
          const cb = simulateChunk(model, p, times, b).subarray(0, times.length);
          const cab = simulateChunk(model, p, times, [...a, ...b]).subarray(0, times.length);
          const double = simulateChunk(
            model,
            p,
            times,
            a.map((d: Dose) => ({ ...d, amount: 2 * d.amount }))
          ).subarray(0, times.length);
          // Rounding in the sum of two profiles scales with the profiles' size, not with the
          // value at one time (late, small values carry the error of the large early ones).
          const scale = Math.max(1e-9, ...Array.from(ca), ...Array.from(cb));
          for (let k = 0; k < times.length; k++) {
            expect(ca[k]).toBeGreaterThanOrEqual(-1e-12);
            expect(close(double[k], 2 * ca[k])).toBe(true);
            expect(Math.abs(cab[k] - ca[k] - cb[k])).toBeLessThanOrEqual(1e-9 * scale);
          }
        }
      ),
      { numRuns: 60 }
    );
  });

  it('sigmoid Emax effect never exceeds E0 + EMAX', () => {
    fc.assert(
      fc.property(
        paramsArb,
        fc.array(doseArb, { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0.2, max: 8, noNaN: true }),
        (pv, doses, gamma) => {
          const p = build(pv);
          p[parameterIndex(model, 'GAMMA')] = gamma;
          const out = simulateChunk(model, p, times, doses);
          const e0 = p[parameterIndex(model, 'E0')];
          const emax = p[parameterIndex(model, 'EMAX')];
          for (let k = 0; k < times.length; k++) expect(out[times.length + k]).toBeLessThanOrEqual(e0 + emax);
        }
      ),
      { numRuns: 60 }
    );
  });

  it('steady-state start equals the limit of many repeated doses', () => {
    const m = resolveModel('pk2cmt_oral');
    const p = typicalParameters(m);
    p[parameterIndex(m, 'TLAG')] = 0.5;
    const tau = 12;
    const many = Array.from({ length: 200 }, (_, i) => ({ time: i * tau, amount: 100, target: 'depot' }));
    const probe = Float64Array.from({ length: 13 }, (_, i) => 199 * tau + i);
    const reference = simulateChunk(m, p, probe, many);
    const ss = simulateChunk(
      m,
      p,
      Float64Array.from({ length: 13 }, (_, i) => i),
      // the steady-state dose is also given at its own time, as with NONMEM SS=1
      [{ time: 0, amount: 100, target: 'depot', steadyStateInterval: tau }]
    );
    for (let k = 0; k < 13; k++) expect(close(ss[k], reference[k], 1e-8)).toBe(true);
  });
});
