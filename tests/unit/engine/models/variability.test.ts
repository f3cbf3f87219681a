import { describe, expect, it } from 'vitest';
import {
  IndividualParameterModel,
  ModelSpecError,
  ResidualErrorModel,
  parseModelSpec,
  resolveModel
} from '../../../../src/lib/engine/models';

const N = 100_000;
const ids = Int32Array.from({ length: N }, (_, i) => i + 1);

function moments(x: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return { mean: m, variance: v / (x.length - 1) };
}

describe('model spec (zod)', () => {
  it('accepts a full spec and resolves the model', () => {
    const { model, spec } = parseModelSpec({
      model: 'pk2cmt_oral+idr1',
      parameters: { CL: 4 },
      iiv: {
        parameters: ['CL', 'V1', 'F'],
        omega: [
          [0.09, 0.03, 0],
          [0.03, 0.04, 0],
          [0, 0, 0.25]
        ],
        transforms: { F: 'logitnormal' }
      },
      covariates: [
        { type: 'power', parameter: 'CL', covariate: 'WT', reference: 70, exponent: 0.75 },
        { type: 'categorical', parameter: 'V1', covariate: 'SEX', multipliers: { '1': 0.85 } }
      ],
      residualError: { C: { type: 'combined', additive: 0.01, proportional: 0.1, lloq: 0.05 } }
    });
    expect(model.name).toBe('pk2cmt_oral+idr1');
    expect(spec.parameters?.CL).toBe(4);
  });

  it('names the field path of every problem', () => {
    const bad = () =>
      parseModelSpec(
        {
          model: 'pk2cmt_oral',
          iiv: {
            parameters: ['CL', 'CLX'],
            omega: [
              [0.1, 0.2],
              [0.2, 0.1]
            ]
          },
          residualError: { C: { type: 'combined', additive: 0.1 } }
        },
        'arms[1].model'
      );
    expect(bad).toThrow(ModelSpecError);
    expect(bad).toThrow(/arms\[1\]\.model\.iiv\.omega: must be symmetric positive definite/);
    expect(bad).toThrow(/arms\[1\]\.model\.residualError\.C\.proportional: required for combined/);
    expect(() =>
      parseModelSpec({ model: 'pk2cmt_oral', iiv: { parameters: ['CLX'], omega: [[0.1]] } })
    ).toThrow(/iiv\.parameters\[0\]: model pk2cmt_oral has no parameter 'CLX'/);
    expect(() => parseModelSpec({ model: 'pk9cmt' })).toThrow(
      /^invalid model spec:\n {2}model: unknown model/
    );
  });
});

describe('between-subject variability', () => {
  const model = resolveModel('pk2cmt_oral');
  const omega = [
    [0.09, 0.03],
    [0.03, 0.04]
  ];
  const ipm = new IndividualParameterModel(model, {
    iiv: { parameters: ['CL', 'V1'], omega }
  });
  const out = ipm.fill(42, ids, new Float64Array(0), new Float64Array(N * ipm.nParameters));
  const etaCl = Float64Array.from({ length: N }, (_, r) => Math.log(out[r * ipm.nParameters] / 5));
  const etaV = Float64Array.from({ length: N }, (_, r) => Math.log(out[r * ipm.nParameters + 1] / 50));

  it('draws log-normal etas with the specified means, variances and covariance (4 SE)', () => {
    const a = moments(etaCl);
    const b = moments(etaV);
    expect(Math.abs(a.mean)).toBeLessThan(4 * Math.sqrt(0.09 / N));
    expect(Math.abs(b.mean)).toBeLessThan(4 * Math.sqrt(0.04 / N));
    // SE of a sample variance of normal data: σ²·√(2/(n−1))
    expect(Math.abs(a.variance - 0.09)).toBeLessThan(4 * 0.09 * Math.sqrt(2 / N));
    expect(Math.abs(b.variance - 0.04)).toBeLessThan(4 * 0.04 * Math.sqrt(2 / N));
    let cov = 0;
    for (let i = 0; i < N; i++) cov += (etaCl[i] - a.mean) * (etaV[i] - b.mean);
    cov /= N - 1;
    // SE of a sample covariance: √((σ1²σ2² + σ12²)/n)
    expect(Math.abs(cov - 0.03)).toBeLessThan(4 * Math.sqrt((0.09 * 0.04 + 0.03 ** 2) / N));
  });

  it('is deterministic per (seed, purpose, twin id), whatever the chunk', () => {
    const single = ipm.fill(42, [17], new Float64Array(0), new Float64Array(ipm.nParameters));
    expect(Array.from(single)).toEqual(Array.from(out.subarray(16 * ipm.nParameters, 17 * ipm.nParameters)));
    const other = ipm.fill(43, [17], new Float64Array(0), new Float64Array(ipm.nParameters));
    expect(other[0]).not.toBe(single[0]);
  });

  it('keeps logit-normal parameters inside their bounds with the right median', () => {
    const m = new IndividualParameterModel(model, {
      parameters: { F: 0.7 },
      iiv: { parameters: ['F'], omega: [[1]], transforms: { F: 'logitnormal' }, bounds: { F: [0, 1] } }
    });
    const p = m.fill(
      1,
      ids.subarray(0, 20_000),
      new Float64Array(0),
      new Float64Array(20_000 * m.nParameters)
    );
    const f = Array.from(
      { length: 20_000 },
      (_, r) => p[r * m.nParameters + model.parameters.findIndex((x) => x.name === 'F')]
    );
    expect(Math.min(...f)).toBeGreaterThan(0);
    expect(Math.max(...f)).toBeLessThan(1);
    const below = f.filter((x) => x < 0.7).length / f.length;
    expect(Math.abs(below - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / f.length));
  });

  it('applies power, linear, exponential and categorical covariate effects', () => {
    const m = new IndividualParameterModel(
      model,
      {
        covariates: [
          { type: 'power', parameter: 'CL', covariate: 'WT', reference: 70, exponent: 0.75 },
          { type: 'linear', parameter: 'V1', covariate: 'AGE', reference: 40, slope: 0.01 },
          { type: 'exponential', parameter: 'Q', covariate: 'AGE', reference: 40, coefficient: -0.02 },
          { type: 'categorical', parameter: 'V2', covariate: 'SEX', multipliers: { '1': 0.8 } }
        ]
      },
      ['WT', 'AGE', 'SEX']
    );
    const p = m.fill(1, [1, 2], Float64Array.of(35, 50, 1, 70, 40, 0), new Float64Array(2 * m.nParameters));
    expect(p[0]).toBeCloseTo(5 * 0.5 ** 0.75, 12);
    expect(p[1]).toBeCloseTo(50 * 1.1, 12);
    expect(p[2]).toBeCloseTo(10 * Math.exp(-0.2), 12);
    expect(p[3]).toBeCloseTo(80, 12);
    expect(p[m.nParameters + 3]).toBe(100);
  });
});

describe('residual error', () => {
  const model = resolveModel('pk1cmt_iv');
  const pred = () => new Float64Array(N).fill(10); // N twins × 1 output × 1 time

  const cases = [
    { type: 'additive', additive: 0.5, sd: 0.5, transform: (y: number) => y - 10 },
    { type: 'proportional', proportional: 0.2, sd: 0.2, transform: (y: number) => y / 10 - 1 },
    {
      type: 'combined',
      additive: 0.5,
      proportional: 0.1,
      sd: Math.sqrt(0.25 + 1),
      transform: (y: number) => y - 10
    },
    { type: 'exponential', additive: 0.3, sd: 0.3, transform: (y: number) => Math.log(y / 10) }
  ] as const;
  for (const c of cases) {
    it(`${c.type}: mean and SD within 4 SE on ${N} draws`, () => {
      const { sd, transform, ...spec } = c;
      const values = pred();
      new ResidualErrorModel(model, { C: spec }).apply(7, ids, 1, values);
      const m = moments(Array.from(values, transform));
      expect(Math.abs(m.mean)).toBeLessThan(4 * (sd / Math.sqrt(N)));
      expect(Math.abs(Math.sqrt(m.variance) - sd)).toBeLessThan(4 * (sd / Math.sqrt(2 * N)));
    });
  }

  it('flags observations below the LLOQ and is reproducible', () => {
    const values = pred();
    const blq = new Uint8Array(N);
    const rem = new ResidualErrorModel(model, { C: { type: 'additive', additive: 1, lloq: 9 } });
    rem.apply(3, ids, 1, values, blq);
    let flagged = 0;
    let mismatched = 0;
    for (let i = 0; i < N; i++) {
      if ((blq[i] === 1) !== values[i] < 9) mismatched++;
      flagged += blq[i];
    }
    expect(mismatched).toBe(0);
    expect(Math.abs(flagged / N - 0.15865525393145707)).toBeLessThan(4 * Math.sqrt((0.16 * 0.84) / N));
    const again = pred();
    rem.apply(3, ids, 1, again);
    expect(again[12345]).toBe(values[12345]);
  });
});
