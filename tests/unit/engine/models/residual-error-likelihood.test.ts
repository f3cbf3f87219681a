/**
 * The likelihood side of ResidualErrorModel (a Bayesian fit's objective) and the stable
 * log Φ it uses for observations below the LLOQ (M3), against R 4.2:
 *   options(digits = 17)
 *   -2 * dnorm(y, f, sd, log = TRUE)           # an observed value
 *   -2 * pnorm(lloq, f, sd, log.p = TRUE)       # below the LLOQ (M3)
 *   pnorm(x, log.p = TRUE)                      # log Φ
 */
import { describe, expect, it } from 'vitest';
import { ResidualErrorModel, resolveModel, type ResidualErrorSpec } from '../../../../src/lib/engine/models';
import { normalLogCdf } from '../../../../src/lib/engine/rng';

const model = resolveModel('pk2cmt_oral+idr1'); // outputs C and R
const C = model.outputs.findIndex((o) => o.name === 'C');
const R = model.outputs.findIndex((o) => o.name === 'R');

function closeRelative(actual: number, expected: number, tol = 1e-13) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

const errorOf = (spec: ResidualErrorSpec) => new ResidualErrorModel(model, { C: spec });

describe('normalLogCdf', () => {
  // R: pnorm(c(-40, -38.5, -10, -3, -1, -0.3, 0, 0.3, 1, 3, 10), log.p = TRUE)
  const cases: [number, number][] = [
    [-40, -8.046084420137538e2],
    [-38.5, -7.4569527029041103e2],
    [-10, -5.323128515051247e1],
    [-3, -6.6077262215103492],
    [-1, -1.8410216450092636],
    [-0.3, -9.6210281816885079e-1],
    [0, -6.9314718055994529e-1],
    [0.3, -4.8141016158848116e-1],
    [1, -1.7275377902344988e-1],
    [3, -1.3508099647481938e-3],
    [10, -7.6198530241605269e-24]
  ];
  for (const [x, expected] of cases) {
    it(`log Φ(${x}) as R's pnorm(log.p = TRUE)`, () => closeRelative(normalLogCdf(x), expected, 1e-14));
  }
  it('is finite where Φ underflows, and 0 / −∞ at the ends', () => {
    expect(Math.log(0.5 * Math.exp(-800))).toBe(-Infinity);
    closeRelative(normalLogCdf(-1000), -500007.82669481216, 1e-15); // R: pnorm(-1000, log.p = TRUE)
    expect(Math.abs(normalLogCdf(Infinity))).toBe(0);
    expect(normalLogCdf(-Infinity)).toBe(-Infinity);
  });
});

describe('ResidualErrorModel likelihood', () => {
  it('knows which outputs have an error model', () => {
    const m = errorOf({ type: 'additive', additive: 1 });
    expect(m.outputHasError(C)).toBe(true);
    expect(m.outputHasError(R)).toBe(false);
  });

  it('gives each error model its SD (exponential: on the log scale)', () => {
    expect(errorOf({ type: 'additive', additive: 0.5 }).sd(C, 10)).toBe(0.5);
    expect(errorOf({ type: 'proportional', proportional: 0.2 }).sd(C, 8)).toBeCloseTo(1.6, 15);
    expect(errorOf({ type: 'combined', additive: 0.5, proportional: 0.1 }).sd(C, 12)).toBe(
      Math.sqrt(0.25 + 0.01 * 144)
    );
    expect(errorOf({ type: 'exponential', additive: 0.3 }).sd(C, 4)).toBe(0.3);
  });

  // R: -2 * dnorm(c(10.7, 6.5, 14), c(10, 8, 12), c(0.5, 1.6, sqrt(0.25 + 0.01 * 144)), log = TRUE)
  //    -2 * dnorm(log(5), log(4), 0.3, log = TRUE)
  const observed: [ResidualErrorSpec, number, number, number][] = [
    [{ type: 'additive', additive: 0.5 }, 10, 10.7, 2.411582705289451],
    [{ type: 'proportional', proportional: 0.2 }, 8, 6.5, 3.6567905749008167],
    [{ type: 'combined', additive: 0.5, proportional: 0.1 }, 12, 14, 4.7294695006697705],
    [{ type: 'exponential', additive: 0.3 }, 4, 5, -0.016812492319000505]
  ];
  for (const [spec, f, y, expected] of observed) {
    it(`${spec.type}: −2 log-likelihood of an observed value as R's dnorm`, () =>
      closeRelative(errorOf(spec).observationObjective(C, f, y, false, Number.NaN), expected));
  }

  // R: -2 * pnorm(1, 3, 0.5, log.p = TRUE); -2 * pnorm(0.1, 30, 0.5, log.p = TRUE)
  //    -2 * pnorm(log(0.5), log(4), 0.3, log.p = TRUE); -2 * pnorm(1, 0.2, 0.1, log.p = TRUE)
  //    -2 * pnorm(0.05, 2, sqrt(0.01 + 0.04 * 4), log.p = TRUE)
  const censored: [string, ResidualErrorSpec, number, number, number][] = [
    ['additive', { type: 'additive', additive: 0.5 }, 3, 1, 20.720202973054583],
    ['additive, 60 SD below: Φ underflows', { type: 'additive', additive: 0.5 }, 30, 0.1, 3586.0604472757309],
    ['exponential, on the log scale', { type: 'exponential', additive: 0.3 }, 4, 0.5, 53.794978618207566],
    [
      'additive, prediction far below the LLOQ',
      { type: 'additive', additive: 0.1 },
      0.2,
      1,
      1.2441921148543574e-15
    ],
    ['combined', { type: 'combined', additive: 0.1, proportional: 0.2 }, 2, 0.05, 27.394257369975286]
  ];
  for (const [label, spec, f, lloq, expected] of censored) {
    it(`below the LLOQ (M3), ${label}: as R's pnorm(log.p = TRUE)`, () =>
      closeRelative(errorOf(spec).observationObjective(C, f, Number.NaN, true, lloq), expected));
  }

  it("takes the residual model's LLOQ when the observation gives none, and names a missing one", () => {
    const own = errorOf({ type: 'additive', additive: 0.5, lloq: 1 });
    expect(own.observationObjective(C, 3, Number.NaN, true, Number.NaN)).toBe(
      own.observationObjective(C, 3, Number.NaN, true, 1)
    );
    expect(() =>
      errorOf({ type: 'additive', additive: 0.5 }).observationObjective(C, 3, Number.NaN, true, Number.NaN)
    ).toThrow('output C: an observation below the LLOQ needs an LLOQ');
    expect(() =>
      errorOf({ type: 'additive', additive: 0.5 }).observationObjective(R, 3, 3, false, 1)
    ).toThrow('output R: no residual error model (have C)');
  });

  it('gives Infinity, never NaN, where the observation is impossible', () => {
    const proportional = errorOf({ type: 'proportional', proportional: 0.2 });
    expect(proportional.observationObjective(C, 0, 1, false, Number.NaN)).toBe(Infinity);
    expect(proportional.observationObjective(C, 0, 0, false, Number.NaN)).toBe(Infinity);
    expect(proportional.observationObjective(C, 0, Number.NaN, true, 1)).toBe(0); // certainly below
    const exponential = errorOf({ type: 'exponential', additive: 0.3 });
    expect(exponential.observationObjective(C, 0, 1, false, Number.NaN)).toBe(Infinity);
    expect(exponential.observationObjective(C, 2, 0, false, Number.NaN)).toBe(Infinity);
    expect(exponential.observationObjective(C, 0, Number.NaN, true, 1)).toBe(0);
    expect(errorOf({ type: 'additive', additive: 1 }).observationObjective(C, Number.NaN, 1, false, 1)).toBe(
      Infinity
    );
  });
});
