/**
 * The seams of IndividualParameterModel a Bayesian fit uses — typical values, η → parameters,
 * η draws and the log-prior ηᵀΩ⁻¹η — each against a hand computation, and `fill` as
 * exactly their composition.
 */
import { describe, expect, it } from 'vitest';
import { IndividualParameterModel, resolveModel } from '../../../../src/lib/engine/models';
import { purposeHash, RandomStream } from '../../../../src/lib/engine/rng';

const model = resolveModel('pk2cmt_oral'); // CL=5 V1=50 Q=10 V2=100 KA=1 F=1 TLAG=0
const index = (name: string) => model.parameters.findIndex((p) => p.name === name);
const CL = index('CL'),
  V1 = index('V1'),
  F = index('F');

// Ω: CL and V1 correlated, F independent.
const omega = [
  [0.09, 0.03, 0],
  [0.03, 0.04, 0],
  [0, 0, 0.25]
];
const ipm = new IndividualParameterModel(
  model,
  {
    parameters: { CL: 4, F: 0.7 },
    iiv: {
      parameters: ['CL', 'V1', 'F'],
      omega,
      transforms: { V1: 'normal', F: 'logitnormal' },
      bounds: { F: [0.2, 1] }
    },
    covariates: [
      { type: 'power', parameter: 'CL', covariate: 'WT', reference: 70, exponent: 0.75 },
      { type: 'categorical', parameter: 'V1', covariate: 'SEX', multipliers: { '1': 0.85 } }
    ]
  },
  ['WT', 'SEX']
);

describe('IndividualParameterModel seams', () => {
  it('names the etas in iiv order and holds Ω row-major', () => {
    expect(ipm.nEtas).toBe(3);
    expect(ipm.etaNames).toEqual(['CL', 'V1', 'F']);
    expect(Array.from(ipm.omega)).toEqual(omega.flat());
  });

  it('typical values: the spec overrides times the covariate effects', () => {
    const tv = new Float64Array(ipm.nParameters);
    ipm.typicalValues(Float64Array.of(35, 1), tv);
    expect(tv[CL]).toBeCloseTo(4 * 0.5 ** 0.75, 14);
    expect(tv[V1]).toBeCloseTo(50 * 0.85, 13);
    expect(tv[F]).toBe(0.7);
    expect(tv[index('Q')]).toBe(10);
  });

  it('applies each eta through its transform (lognormal, normal, logit-normal in [0.2, 1])', () => {
    const tv = new Float64Array(ipm.nParameters);
    ipm.typicalValues(Float64Array.of(70, 0), tv);
    const eta = Float64Array.of(0.2, -3, 0.4);
    const p = new Float64Array(ipm.nParameters);
    ipm.applyEtas(tv, eta, p);
    expect(p[CL]).toBeCloseTo(4 * Math.exp(0.2), 14);
    expect(p[V1]).toBe(47);
    // logit((0.7 − 0.2)/0.8) = log(5/3); expit(log(5/3) + 0.4) = (5/3)e^0.4 / (1 + (5/3)e^0.4)
    const odds = (5 / 3) * Math.exp(0.4);
    expect(p[F]).toBeCloseTo(0.2 + (0.8 * odds) / (1 + odds), 14);
    expect(p[index('V2')]).toBe(100);
    // in place gives the same
    ipm.applyEtas(tv, eta, tv);
    expect(Array.from(tv)).toEqual(Array.from(p));
  });

  it('draws η = L·z from the (seed, iiv, twin) stream, L the Cholesky factor of Ω by hand', () => {
    // L = [[0.3, 0, 0], [0.1, √0.03, 0], [0, 0, 0.5]]: 0.3² = 0.09, 0.3·0.1 = 0.03, 0.1² + 0.03 = 0.04
    const stream = new RandomStream().reset(42, purposeHash('iiv'), 17);
    const z = [stream.normal(), stream.normal(), stream.normal()];
    const eta = new Float64Array(3);
    ipm.drawEtas(42, 17, eta);
    expect(eta[0]).toBeCloseTo(0.3 * z[0], 15);
    expect(eta[1]).toBeCloseTo(0.1 * z[0] + Math.sqrt(0.03) * z[1], 15);
    expect(eta[2]).toBeCloseTo(0.5 * z[2], 15);
    // ηᵀΩ⁻¹η of η = L·z is zᵀz
    expect(ipm.priorObjective(eta)).toBeCloseTo(z[0] ** 2 + z[1] ** 2 + z[2] ** 2, 13);
  });

  it('priorObjective is ηᵀΩ⁻¹η: the 2×2 block inverted by formula, plus η₃²/0.25', () => {
    // [[a, b], [b, c]]⁻¹ = [[c, −b], [−b, a]] / (ac − b²); ac − b² = 0.0036 − 0.0009 = 0.0027
    const [e1, e2, e3] = [0.2, -0.1, 0.3];
    const quadratic = (0.04 * e1 * e1 - 2 * 0.03 * e1 * e2 + 0.09 * e2 * e2) / 0.0027 + (e3 * e3) / 0.25;
    expect(quadratic).toBeCloseTo(37 / 27 + 0.36, 14); // (0.0016 + 0.0012 + 0.0009)/0.0027 + 0.36
    expect(ipm.priorObjective(Float64Array.of(e1, e2, e3))).toBeCloseTo(quadratic, 13);
    expect(ipm.priorObjective(new Float64Array(3))).toBe(0);
  });

  it('fill is typicalValues, then drawEtas, then applyEtas, to the bit', () => {
    const ids = [1, 2, 17, 1000];
    const covariates = Float64Array.of(35, 1, 70, 0, 82.5, 1, 12, 0);
    const rows = ipm.fill(7, ids, covariates, new Float64Array(ids.length * ipm.nParameters));
    const nP = ipm.nParameters;
    const tv = new Float64Array(nP);
    const eta = new Float64Array(ipm.nEtas);
    const p = new Float64Array(nP);
    ids.forEach((id, r) => {
      ipm.typicalValues(covariates.subarray(r * 2, r * 2 + 2), tv);
      ipm.drawEtas(7, id, eta);
      ipm.applyEtas(tv, eta, p);
      for (let i = 0; i < nP; i++) expect(Object.is(p[i], rows[r * nP + i])).toBe(true);
    });
  });

  it('without iiv: no etas, a prior of 0, and fill gives the typical values', () => {
    const plain = new IndividualParameterModel(model, {});
    expect(plain.nEtas).toBe(0);
    expect(plain.etaNames).toEqual([]);
    expect(plain.omega.length).toBe(0);
    expect(plain.priorObjective(new Float64Array(0))).toBe(0);
    const tv = new Float64Array(plain.nParameters);
    plain.typicalValues(new Float64Array(0), tv);
    const rows = plain.fill(1, [5], new Float64Array(0), new Float64Array(plain.nParameters));
    expect(Array.from(rows)).toEqual(Array.from(tv));
  });
});
