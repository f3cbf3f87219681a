/**
 * Twins of calibrated patients draw their parameters from their own posterior:
 * η = η̂ + L·z (L the Cholesky factor of the patient's posterior covariance, z from the
 * twin's 'iiv' stream), P = TV(covariates)·e^η. Expected values are closed forms: with
 * posterior: mode the parameters are TV·e^η̂ exactly; drawn etas have mean η̂ and
 * covariance Σ within Monte Carlo error.
 */
import { describe, expect, it } from 'vitest';
import { PosteriorParameterModel } from '../../../src/lib/engine/calibration/posterior-parameter-model';
import type { ImportedTable } from '../../../src/lib/engine/cohort';
import { IndividualParameterModel, parseModelSpec } from '../../../src/lib/engine/models';
import { predictionTwin } from '../../../src/lib/engine/trial';
import { compileProtocol } from '../../../src/lib/engine/trial';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { SpecError } from '../../../src/lib/spec/issues';

const MODEL = {
  model: 'pk1cmt_iv',
  parameters: { CL: 6.0, V: 44.5 },
  iiv: {
    parameters: ['CL', 'V'],
    omega: [
      [0.1, 0.02],
      [0.02, 0.05]
    ]
  },
  covariates: [
    { type: 'power', parameter: 'CL', covariate: 'weight', reference: 70, exponent: 0.75 },
    { type: 'power', parameter: 'V', covariate: 'weight', reference: 70, exponent: 1 }
  ],
  residualError: { C: { type: 'proportional', proportional: 0.1 } }
};

/** Three patients: weight, MAP etas (CL, V), posterior covariance (lower triangle). */
const PATIENTS = [
  { weight: 20, eta: [0.2, -0.1], cov: [0.04, 0.01, 0.02] },
  { weight: 45, eta: [-0.3, 0.15], cov: [0.09, -0.02, 0.03] },
  { weight: 70, eta: [0.05, 0], cov: [0, 0, 0] } // no covariance: the Laplace approximation failed
];
const COV_COLUMNS = ['cov_CL_CL', 'cov_V_CL', 'cov_V_V'];

function fitsTable(patients = PATIENTS): ImportedTable {
  const column = (name: string, f: (p: (typeof PATIENTS)[number]) => number) => ({
    name,
    values: Float64Array.from(patients, f)
  });
  return {
    rows: patients.length,
    columns: [
      { name: 'patient', values: Float64Array.from(patients, (_, i) => i + 1) },
      column('weight', (p) => p.weight),
      column('eta_CL', (p) => p.eta[0]),
      column('eta_V', (p) => p.eta[1]),
      ...COV_COLUMNS.map((n, k) => column(n, (p) => p.cov[k]))
    ]
  };
}

const typical = (weight: number) => [6.0 * Math.pow(weight / 70, 0.75), 44.5 * Math.pow(weight / 70, 1)];

function posteriorModel(mode: boolean) {
  const { model, spec } = parseModelSpec(MODEL);
  const population = new IndividualParameterModel(model, spec, ['weight']);
  const names = ['weight', 'eta_CL', 'eta_V', ...COV_COLUMNS];
  return { population, posterior: new PosteriorParameterModel(population, names, mode) };
}

/** Covariate rows (weight, η̂, covariance) of `count` twins, all of patient `p`. */
function rowsOf(p: (typeof PATIENTS)[number], count: number): Float64Array {
  const row = [p.weight, ...p.eta, ...p.cov];
  const out = new Float64Array(count * row.length);
  for (let j = 0; j < count; j++) out.set(row, j * row.length);
  return out;
}

describe('PosteriorParameterModel', () => {
  it('with posterior: mode, gives TV(covariates)·e^η̂ exactly', () => {
    const { posterior } = posteriorModel(true);
    for (const p of PATIENTS) {
      const out = posterior.fill(5, [1, 2], rowsOf(p, 2), new Float64Array(4));
      const [cl, v] = typical(p.weight);
      expect([...out]).toEqual([
        cl * Math.exp(p.eta[0]),
        v * Math.exp(p.eta[1]),
        cl * Math.exp(p.eta[0]),
        v * Math.exp(p.eta[1])
      ]);
    }
  });

  it("draws etas with mean η̂ and covariance Σ (Monte Carlo error), each twin's from its own stream", () => {
    const { posterior } = posteriorModel(false);
    const p = PATIENTS[1];
    const n = 20_000;
    const ids = Int32Array.from({ length: n }, (_, j) => j + 1);
    const out = posterior.fill(11, ids, rowsOf(p, n), new Float64Array(2 * n));
    const [cl, v] = typical(p.weight);
    const e1 = Float64Array.from({ length: n }, (_, j) => Math.log(out[2 * j] / cl));
    const e2 = Float64Array.from({ length: n }, (_, j) => Math.log(out[2 * j + 1] / v));
    const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / n;
    const m1 = mean(e1);
    const m2 = mean(e2);
    const cov = (x: Float64Array, mx: number, y: Float64Array, my: number) =>
      x.reduce((s, xi, j) => s + (xi - mx) * (y[j] - my), 0) / (n - 1);
    const [s11, s21, s22] = p.cov;
    // 4 standard errors: of a mean sqrt(σ²/n), of a (co)variance sqrt((σ_ii σ_jj + σ_ij²)/n)
    expect(Math.abs(m1 - p.eta[0])).toBeLessThan(4 * Math.sqrt(s11 / n));
    expect(Math.abs(m2 - p.eta[1])).toBeLessThan(4 * Math.sqrt(s22 / n));
    expect(Math.abs(cov(e1, m1, e1, m1) - s11)).toBeLessThan(4 * Math.sqrt((2 * s11 * s11) / n));
    expect(Math.abs(cov(e2, m2, e2, m2) - s22)).toBeLessThan(4 * Math.sqrt((2 * s22 * s22) / n));
    expect(Math.abs(cov(e1, m1, e2, m2) - s21)).toBeLessThan(4 * Math.sqrt((s11 * s22 + s21 * s21) / n));
  });

  it("draws z from the twin's 'iiv' stream: with η̂ = 0 and Σ = Ω it is the population model, to the bit", () => {
    const { population, posterior } = posteriorModel(false);
    const n = 50;
    const ids = Int32Array.from({ length: n }, (_, j) => j + 1);
    const asPopulation = rowsOf({ weight: 33, eta: [0, 0], cov: [0.1, 0.02, 0.05] }, n);
    const weights = new Float64Array(n).fill(33);
    expect(posterior.fill(3, ids, asPopulation, new Float64Array(2 * n))).toEqual(
      population.fill(3, ids, weights, new Float64Array(2 * n))
    );
  });

  it('gives a twin the same parameters in any chunk', () => {
    const { posterior } = posteriorModel(false);
    const n = 100;
    const rows = rowsOf(PATIENTS[0], n);
    const ids = Int32Array.from({ length: n }, (_, j) => j + 1);
    const whole = posterior.fill(9, ids, rows, new Float64Array(2 * n));
    const width = rows.length / n;
    for (let first = 0; first < n; first += 7) {
      const count = Math.min(7, n - first);
      const part = posterior.fill(
        9,
        ids.subarray(first, first + count),
        rows.subarray(first * width, (first + count) * width),
        new Float64Array(2 * count)
      );
      expect(part).toEqual(whole.subarray(2 * first, 2 * (first + count)));
    }
  });

  it('takes η̂ for a patient without covariance (all zeros), also when sampling', () => {
    const { posterior } = posteriorModel(false);
    const p = PATIENTS[2];
    const out = posterior.fill(5, [1, 2, 3], rowsOf(p, 3), new Float64Array(6));
    const [cl, v] = typical(p.weight);
    expect(out[4]).toBe(cl * Math.exp(p.eta[0]));
    expect(out[5]).toBe(v * Math.exp(p.eta[1]));
  });
});

const PROTOCOL = (cohort: string, extra = '') => `name: calibrated children
seed: 7
cohort: ${cohort}
model:
  model: pk1cmt_iv
  parameters: { CL: 6.0, V: 44.5 }
  iiv:
    parameters: [CL, V]
    omega: [[0.1, 0.02], [0.02, 0.05]]
  covariates:
    - { type: power, parameter: CL, covariate: weight, reference: 70, exponent: 0.75 }
    - { type: power, parameter: V, covariate: weight, reference: 70, exponent: 1 }
  residualError: { C: { type: proportional, proportional: 0.1 } }
arms:
  - { name: q6h, regimen: { dose: 15, unit: mg/kg, interval: 6h, duration: 24h, infusion: 1h } }
schedule: { duration: 24h, visits: [0, 24h], pkSampling: [1h, 6h] }
endpoints:
  - { name: auc, type: pk, variable: C, metric: auc, primary: true }
${extra}`;

const noFiles = () => {
  throw new Error('no files here');
};
const load = (text: string, table: ImportedTable = fitsTable()) =>
  loadProtocol(text, 'calibrated.yaml', noFiles, table);

/** The problems a protocol is refused with, as 'line N: path: message' lines. */
function problems(text: string, table?: ImportedTable): string {
  try {
    load(text, table);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  return '';
}

describe('a protocol with a cohort of calibrated twins', () => {
  it('makes twin i patient i, with posterior: mode its MAP parameters', () => {
    const plan = compileProtocol(load(PROTOCOL('{ calibration: { file: fits.csv, posterior: mode } }')));
    expect(plan.cohort.importedRows).toBe(3);
    expect(plan.cohort.bootstrap).toBe(false);
    PATIENTS.forEach((p, i) => {
      const twin = predictionTwin(plan, i + 1);
      const [cl, v] = typical(p.weight);
      expect([...twin.params]).toEqual([cl * Math.exp(p.eta[0]), v * Math.exp(p.eta[1])]);
      expect(twin.weight).toBe(p.weight);
    });
  });

  it('resamples the patients when n is not their number', () => {
    const protocol = load(PROTOCOL('{ calibration: { file: fits.csv, posterior: mode }, n: 40 }'));
    const plan = compileProtocol(protocol);
    expect(plan.cohort.bootstrap).toBe(true);
    const seen = new Set<number>();
    for (let id = 1; id <= 40; id++) {
      const cl = predictionTwin(plan, id).params[0];
      const k = PATIENTS.findIndex((p) => cl === typical(p.weight)[0] * Math.exp(p.eta[0]));
      expect(k).toBeGreaterThanOrEqual(0);
      seen.add(k);
    }
    expect(seen.size).toBe(3);
  });

  it('refuses a model whose etas are not the fits file’s, naming both lists', () => {
    const text = PROTOCOL('{ calibration: { file: fits.csv } }').replace(
      'parameters: [CL, V]\n    omega: [[0.1, 0.02], [0.02, 0.05]]',
      'parameters: [V, CL]\n    omega: [[0.05, 0.02], [0.02, 0.1]]'
    );
    expect(problems(text)).toBe(
      "calibrated.yaml:line 3: cohort.calibration.file: the fits file's etas (eta_CL, eta_V) are not the model's (iiv.parameters: V, CL); " +
        'a trial of calibrated twins needs the model the patients were fitted with, its etas in the same order'
    );
  });

  it('refuses a covariance that is not positive definite, naming its row', () => {
    const bad = PATIENTS.map((p, i) => (i === 1 ? { ...p, cov: [0.09, 0.2, 0.03] } : p));
    expect(problems(PROTOCOL('{ calibration: { file: fits.csv } }'), fitsTable(bad))).toBe(
      'calibrated.yaml:line 3: cohort.calibration.file: row 2: the posterior covariance (cov_CL_CL, cov_V_CL, cov_V_V) is not positive definite'
    );
  });

  it('refuses a fits file without the covariance columns', () => {
    const table = fitsTable();
    table.columns = table.columns.filter((c) => c.name !== 'cov_V_CL');
    expect(problems(PROTOCOL('{ calibration: { file: fits.csv } }'), table)).toBe(
      "calibrated.yaml:line 3: cohort.calibration.file: the fits file has no column cov_V_CL (the etas' posterior covariance)"
    );
  });

  it('refuses population uncertainty, and a cohort given twice', () => {
    expect(problems(PROTOCOL('{ calibration: { file: fits.csv } }', 'uncertainty: { CL: 0.1 }\n'))).toMatch(
      /^calibrated\.yaml:line 19: uncertainty: population uncertainty does not apply to calibrated twins/
    );
    expect(problems(PROTOCOL('{ file: c.yaml, calibration: { file: fits.csv } }'))).toBe(
      'calibrated.yaml:line 3: cohort: give exactly one of cohort.file, cohort.spec or cohort.calibration'
    );
  });

  it('refuses a model covariate the patients do not have', () => {
    const table = fitsTable();
    table.columns = table.columns.filter((c) => c.name !== 'weight');
    expect(problems(PROTOCOL('{ calibration: { file: fits.csv } }'), table)).toMatch(
      /model\.covariates\[0\]\.covariate: the cohort has no covariate 'weight' \(has patient, eta_CL/
    );
  });
});
