import { describe, expect, it } from 'vitest';
import { resolveModel, simulateChunk, typicalParameters, type Dose } from '../../../src/lib/engine/models';
import { maxRelativeDifference } from '../../helpers/relative-difference';

// Both sides solve at rtol 1e-10: per-step errors of that size add up over a week of doses
// to ~1e-9 (measured: ≤ 4e-11 closed form vs ODE, ≤ 1.5e-9 hybrid vs ODE); 1e-8 allows
// for that and still fails on any real difference in the models.
const AGREEMENT = 1e-8;

const hourly = Float64Array.from({ length: 24 * 7 + 1 }, (_, i) => i);

const regimens: Record<string, Dose[]> = {
  iv: [
    ...Array.from({ length: 7 }, (_, i) => ({ time: i * 24, amount: 100, target: 'central' })),
    { time: 30.5, amount: 50, target: 'central', duration: 2.25 }
  ],
  oral: [
    ...Array.from({ length: 7 }, (_, i) => ({ time: i * 24, amount: 100, target: 'depot' })),
    { time: 60, amount: 80, target: 'central', duration: 10 }
  ]
};

describe('closed-form PK agrees with the ODE form', () => {
  for (const cmt of [1, 2, 3]) {
    for (const route of ['iv', 'oral'] as const) {
      it(`${cmt}-compartment ${route}, multiple doses incl. an overlapping infusion`, () => {
        const model = resolveModel(`pk${cmt}cmt_${route}`);
        const p = typicalParameters(model);
        if (route === 'oral') p[model.parameters.findIndex((x) => x.name === 'TLAG')] = 0.75;
        if (route === 'oral') p[model.parameters.findIndex((x) => x.name === 'F')] = 0.8;
        const exact = simulateChunk(model, p, hourly, regimens[route]);
        const ode = simulateChunk(model, p, hourly, regimens[route], {
          mode: 'ode',
          rtol: 1e-10,
          atol: 1e-12
        });
        // skip the pre-dose zero at t=0
        expect(maxRelativeDifference(ode.subarray(1), exact.subarray(1))).toBeLessThan(AGREEMENT);
      });
    }
  }
});

describe('hybrid path (closed-form PK inside the PD rhs) agrees with the full ODE', () => {
  // Irregular output times (spacing changes, repeats, outputs at dose and infusion times).
  const irregular = Float64Array.from(
    [0, 0.1, 0.25, 0.25, 1, 2.5, 4, 6, 12, 24, 24.5, 30.5, 31, 32.75, 33, 48, 60, 61.3, 70, 72, 100, 130, 168]
      .concat(Array.from({ length: 20 }, (_, i) => 140 + 1.4 * i))
      .sort((a, b) => a - b)
  );
  for (const cmt of [1, 2, 3]) {
    for (const route of ['iv', 'oral'] as const) {
      for (const pd of ['idr2', 'effect_compartment', 'transit3']) {
        it(`${cmt}-compartment ${route} + ${pd}`, () => {
          const model = resolveModel(`pk${cmt}cmt_${route}+${pd}`);
          const p = typicalParameters(model);
          if (route === 'oral') p[model.parameters.findIndex((x) => x.name === 'TLAG')] = 0.75;
          if (route === 'oral') p[model.parameters.findIndex((x) => x.name === 'F')] = 0.8;
          const tight = { rtol: 1e-10, atol: 1e-12 };
          const hybrid = simulateChunk(model, p, irregular, regimens[route], { mode: 'hybrid', ...tight });
          const ode = simulateChunk(model, p, irregular, regimens[route], { mode: 'ode', ...tight });
          expect(maxRelativeDifference(hybrid, ode, 1e-9)).toBeLessThan(AGREEMENT);
        });
      }
    }
  }
});
