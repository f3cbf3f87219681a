import { describe, expect, it } from 'vitest';
import { parseModelSpec } from '../../../src/lib/engine/models/spec';
import {
  calibrationModel,
  CalibrationModelError
} from '../../../src/lib/engine/calibration/calibration-model';
import { PatientObjective } from '../../../src/lib/engine/calibration/patient-objective';
import { fitPatient } from '../../../src/lib/engine/calibration/fit-patient';
import { drawMoments, laplaceDraws, sirDraws } from '../../../src/lib/engine/calibration/sample-posterior';

// A response constant in time, R = BASE, with BASE = 50 + η, η ~ N(0, ω² = 9), observed
// with additive error SD 2. The posterior of η is normal (conjugate), so the MAP and the
// Laplace covariance are exact: precision m/σ² + 1/ω², mean Σ(y − 50)/σ² / precision.
const text = `model constant
parameters
  BASE = 50 [1] "baseline"
variability
  BASE ~ normal(var = 9)
states
  R(0) = BASE [1] "response"
odes
  d/dt(R) = 0
outputs
  Y = R [1] ~ additive(2) "observed response"
`;

function objectiveFor(values: number[]) {
  const { spec, model } = parseModelSpec({ model: { text } });
  const calibration = calibrationModel(model, spec);
  return new PatientObjective(calibration, {
    id: 'p',
    covariates: {},
    doses: [],
    observations: {
      time: Float64Array.from(values, (_, k) => k + 1),
      output: new Int32Array(values.length),
      value: Float64Array.from(values),
      blq: new Uint8Array(values.length),
      lloq: new Float64Array(values.length).fill(NaN)
    }
  });
}

describe('fitPatient on a conjugate normal model', () => {
  const y = [55, 53, 58, 56];
  const precision = y.length / 4 + 1 / 9;
  const mean = y.reduce((s, v) => s + (v - 50) / 4, 0) / precision;
  const objective = objectiveFor(y);
  const fit = fitPatient(objective);

  it('finds the posterior mode and its exact covariance', () => {
    expect(fit.converged).toBe(true);
    expect(fit.eta[0]).toBeCloseTo(mean, 6);
    expect(fit.parameters[0]).toBeCloseTo(50 + mean, 6);
    expect(fit.covariance![0]).toBeCloseTo(1 / precision, 5);
    expect(fit.shrinkage[0]).toBeCloseTo(1 - Math.sqrt(1 - 1 / precision / 9), 5);
  });

  it('reports the objective: Σ((y − f)/σ)² + log(2πσ²) + η²/ω²', () => {
    const f = 50 + mean;
    const expected =
      y.reduce((s, v) => s + ((v - f) / 2) ** 2 + Math.log(2 * Math.PI * 4), 0) + mean ** 2 / 9;
    expect(fit.ofv).toBeCloseTo(expected, 8);
    const atTypical = y.reduce((s, v) => s + ((v - 50) / 2) ** 2 + Math.log(2 * Math.PI * 4), 0);
    expect(fit.populationOfv).toBeCloseTo(atTypical, 8);
  });

  it('gives predictions and IWRES per observation', () => {
    for (let j = 0; j < y.length; j++) {
      expect(fit.pred[j]).toBe(50);
      expect(fit.ipred[j]).toBeCloseTo(50 + mean, 6);
      expect(fit.iwres[j]).toBeCloseTo((y[j] - 50 - mean) / 2, 6);
    }
  });

  it('samples the same posterior by SIR and by Laplace (within Monte Carlo error)', () => {
    const sd = Math.sqrt(1 / precision);
    for (const draws of [
      sirDraws(objective, fit, { seed: 7, key: 1, draws: 4000 }),
      laplaceDraws(objective, fit, { seed: 7, key: 1, draws: 4000 })
    ]) {
      const m = drawMoments(draws);
      expect(Math.abs(m.mean[0] - mean)).toBeLessThan((4 * sd) / Math.sqrt(4000));
      expect(Math.sqrt(m.covariance[0]) / sd).toBeGreaterThan(0.93);
      expect(Math.sqrt(m.covariance[0]) / sd).toBeLessThan(1.07);
    }
    const sir = sirDraws(objective, fit, { seed: 7, key: 1, draws: 1000 });
    expect(sir.effectiveSampleSize).toBeGreaterThan(1000);
    // Keyed: the same key gives the same draws, another key others.
    expect(sirDraws(objective, fit, { seed: 7, key: 1, draws: 1000 }).etas).toEqual(sir.etas);
    expect(sirDraws(objective, fit, { seed: 7, key: 2, draws: 1000 }).etas).not.toEqual(sir.etas);
  });
});

describe('calibrationModel', () => {
  it('refuses a model without variability, saying why', () => {
    const { spec, model } = parseModelSpec({ model: { text: text.replace(/variability\n.*\n/, '') } });
    expect(() => calibrationModel(model, spec)).toThrow(CalibrationModelError);
    expect(() => calibrationModel(model, spec)).toThrow(/no between-subject variability/);
  });

  it('refuses a model without residual error, naming its outputs', () => {
    const { spec, model } = parseModelSpec({ model: { text: text.replace(' ~ additive(2)', '') } });
    expect(() => calibrationModel(model, spec)).toThrow(/no residual error on any output \(outputs: Y\)/);
  });
});

describe('fitPatient on data the model cannot explain at all', () => {
  it('refuses, naming the patient, when the objective is not finite at the typical values', () => {
    // Exponential (log-scale) error cannot give a value ≤ 0: its likelihood is 0 everywhere.
    const logText = text.replace('~ additive(2)', '~ exponential(0.1)');
    const { spec, model } = parseModelSpec({ model: { text: logText } });
    const objective = new PatientObjective(calibrationModel(model, spec), {
      id: 'P-9',
      covariates: {},
      doses: [],
      observations: {
        time: Float64Array.of(1),
        output: Int32Array.of(0),
        value: Float64Array.of(-1),
        blq: Uint8Array.of(0),
        lloq: Float64Array.of(NaN)
      }
    });
    expect(() => fitPatient(objective)).toThrow(CalibrationModelError);
    expect(() => fitPatient(objective)).toThrow(
      /patient P-9: the model cannot be solved at this patient's typical parameters/
    );
  });
});
