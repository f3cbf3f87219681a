import { describe, expect, it } from 'vitest';
import { parseModelSpec } from '../../src/lib/engine/models/spec';
import { resolveRegimen } from '../../src/lib/engine/models/dosing';
import { ResidualErrorModel } from '../../src/lib/engine/models/residualError';
import { calibrationModel } from '../../src/lib/engine/calibration/calibration-model';
import { PatientObjective } from '../../src/lib/engine/calibration/patient-objective';
import { fitPatient } from '../../src/lib/engine/calibration/fit-patient';
import type { PatientRecord } from '../../src/lib/engine/calibration/patient-record';

// Recovery: 500 patients whose true etas are drawn from the model's own Ω, simulated with
// residual error, then fitted. If the MAP and its Laplace posterior are right, the 90 %
// posterior intervals η̂ ± 1.645·SD contain the true eta in 90 % of patients, within
// Monte Carlo error (SE = √(0.9·0.1/500) = 1.34 %; we accept ± 3.5 SE).
const text = `model pk2cmt_recovery
parameters
  CL = 5 [L/h] "clearance"
  V1 = 50 [L] "central volume"
  Q = 10 [L/h] "intercompartmental clearance"
  V2 = 100 [L] "peripheral volume"
  KA = 1 [1/h] "absorption rate"
variability
  CL ~ lognormal(var = 0.09)
  V1 ~ lognormal(var = 0.04)
  cor(CL, V1) = 0.3
  KA ~ lognormal(var = 0.16)
pk two_compartment(oral, CL = CL, V1 = V1, Q = Q, V2 = V2, KA = KA)
outputs
  C = C [mg/L] ~ combined(add = 0.05, prop = 0.15) "concentration"
`;

const N = 500;
const SEED = 2026;
const times = Float64Array.of(0.5, 1.5, 4, 8, 12, 24);
const doses = [
  { time: 0, amount: 100, target: 'depot' },
  { time: 12, amount: 100, target: 'depot' }
];

describe('calibration recovers known etas', () => {
  it('covers the true etas with its 90 % intervals in 90 % of 500 patients', () => {
    const { spec, model } = parseModelSpec({ model: { text } });
    const calibration = calibrationModel(model, spec);
    const { parameters, simulator } = calibration;
    const residual = new ResidualErrorModel(model, spec.residualError);
    const nEta = parameters.nEtas;
    const typical = new Float64Array(parameters.nParameters);
    parameters.typicalValues(new Float64Array(0), typical);
    const regimen = resolveRegimen(model, doses);
    const eta = new Float64Array(nEta);
    const params = new Float64Array(parameters.nParameters);
    const covered = new Float64Array(nEta);
    const bias = new Float64Array(nEta);
    const squares = new Float64Array(nEta);
    let converged = 0;
    for (let id = 1; id <= N; id++) {
      parameters.drawEtas(SEED, id, eta);
      parameters.applyEtas(typical, eta, params);
      const y = new Float64Array(times.length);
      simulator.simulateTwin(params, 0, regimen, times, y, id);
      residual.apply(SEED, [id], times.length, y);
      const record: PatientRecord = {
        id: String(id),
        covariates: {},
        doses,
        observations: {
          time: times,
          output: new Int32Array(times.length),
          value: y,
          blq: new Uint8Array(times.length),
          lloq: new Float64Array(times.length).fill(NaN)
        }
      };
      const fit = fitPatient(new PatientObjective(calibration, record));
      if (fit.converged) converged++;
      for (let k = 0; k < nEta; k++) {
        const sd = Math.sqrt(fit.covariance![k * nEta + k]);
        if (Math.abs(fit.eta[k] - eta[k]) <= 1.6449 * sd) covered[k]++;
        bias[k] += (fit.eta[k] - eta[k]) / N;
        squares[k] += (fit.eta[k] - eta[k]) ** 2 / N;
      }
    }
    expect(converged).toBe(N);
    const se = Math.sqrt((0.9 * 0.1) / N);
    for (let k = 0; k < nEta; k++) {
      const coverage = covered[k] / N;
      expect(Math.abs(coverage - 0.9), `coverage of ${parameters.etaNames[k]}: ${coverage}`).toBeLessThan(
        3.5 * se
      );
      // η̂ − η averages to zero over the prior only where the posterior's mode and mean
      // agree (a model linear in η). Here the mode leans a little toward low predictions,
      // where the error SD and its log(2π·sd²) term are smaller. Measured (seed 2026):
      // coverage 87.6 %, 90.0 %, 88.2 % and bias +0.025, +0.004, −0.034 (Monte Carlo SE
      // 0.006, 0.006, 0.011) for η_CL, η_V1, η_KA: small beside ω (0.3, 0.2, 0.4).
      const biasSe = Math.sqrt((squares[k] - bias[k] ** 2) / (N - 1));
      const omega = Math.sqrt(parameters.omega[k * nEta + k]);
      expect(Math.abs(bias[k]), `bias of ${parameters.etaNames[k]} (SE ${biasSe})`).toBeLessThan(
        0.15 * omega
      );
    }
  });
});
