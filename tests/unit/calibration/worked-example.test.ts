// The Calibrate page's worked example end to end through the library the page calls: a
// child of 20 kg on the paediatric vancomycin protocol's model with two levels
// (cohorts/vancomycin-child/records.csv). Expected numbers: tests/golden/vancomycin-child/
// worked-example.R (R optim on the closed-form infusion model; AUC24 at steady state =
// daily dose / CL, so P(target) under the Laplace posterior is two pnorm() calls).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrationModel } from '../../../src/lib/engine/calibration/calibration-model';
import { compareRegimens } from '../../../src/lib/engine/calibration/compare-regimens';
import { parameterShifts } from '../../../src/lib/engine/calibration/parameter-shifts';
import { PatientObjective } from '../../../src/lib/engine/calibration/patient-objective';
import { patientPosterior } from '../../../src/lib/engine/calibration/patient-posterior';
import { parseModelSpec } from '../../../src/lib/engine/models/spec';
import { patientRecordsFromCsv } from '../../../src/lib/io/patient-csv';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import {
  defaultRegimens,
  defaultTarget,
  patientWeight,
  readCandidates,
  readTarget
} from '../../../src/lib/engine/calibration/forecast-fields';
import { relativeDifference } from '../../helpers/relative-difference';

const reference = new Map(
  readFileSync('tests/golden/vancomycin-child/worked-example.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [name, value] = line.split(',');
      return [name.replaceAll('"', ''), Number(value)] as const;
    })
);
const ref = (name: string) => {
  const v = reference.get(name);
  if (v === undefined) throw new Error(`no ${name} in the reference`);
  return v;
};

function setup() {
  const text = readFileSync('protocols/pediatric-weight-based.yaml', 'utf8');
  const protocol = loadProtocol(text, 'pediatric-weight-based.yaml', (path) => {
    const file = `protocols/${path}`;
    return { text: readFileSync(file, 'utf8'), file };
  });
  const { spec, model } = parseModelSpec(protocol.model);
  const calibration = calibrationModel(model, spec);
  const records = patientRecordsFromCsv(readFileSync('cohorts/vancomycin-child/records.csv', 'utf8'), model, {
    covariates: calibration.covariateNames
  });
  return { calibration, records };
}

describe('worked example: a child of 20 kg on vancomycin with a peak and a trough', () => {
  const { calibration, records } = setup();
  const objective = new PatientObjective(calibration, records[0]);
  const laplace = patientPosterior(objective, { method: 'laplace', seed: 1, key: 1, draws: 1000 });

  it('reads one patient of 20 kg with four 1-h infusions of 300 mg and two levels', () => {
    expect(records).toHaveLength(1);
    const [r] = records;
    expect(patientWeight(r)).toBe(20);
    expect(r.doses.map((d) => [d.time, d.amount, d.duration])).toEqual([
      [0, 300, 1],
      [6, 300, 1],
      [12, 300, 1],
      [18, 300, 1]
    ]);
    expect([...r.observations.time]).toEqual([20, 23.9]);
    expect([...r.observations.value]).toEqual([25, 7]);
  });

  it('finds the MAP etas, OFV and Laplace covariance of R optim to 1e-4', () => {
    const { fit } = laplace;
    expect(fit.converged).toBe(true);
    expect(relativeDifference(fit.eta[0], ref('eta_CL'))).toBeLessThan(1e-4);
    expect(relativeDifference(fit.eta[1], ref('eta_V'))).toBeLessThan(1e-4);
    expect(relativeDifference(fit.ofv, ref('ofv'))).toBeLessThan(1e-6);
    expect(relativeDifference(fit.populationOfv, ref('population_ofv'))).toBeLessThan(1e-9);
    expect(relativeDifference(fit.ipred[0], ref('ipred_1'))).toBeLessThan(1e-4);
    expect(relativeDifference(fit.pred[1], ref('pred_2'))).toBeLessThan(1e-9);
    const cov = fit.covariance!;
    expect(relativeDifference(cov[0], ref('cov_CL_CL'))).toBeLessThan(1e-2);
    expect(relativeDifference(cov[2], ref('cov_V_CL'))).toBeLessThan(1e-2);
    expect(relativeDifference(cov[3], ref('cov_V_V'))).toBeLessThan(1e-2);
  });

  it('reports the shift of CL and V from the typical child of 20 kg', () => {
    const [cl, v] = parameterShifts(calibration, laplace.fit, laplace.moments.covariance);
    expect(cl.parameter).toBe('CL');
    expect(cl.unit).toBe('L/h');
    // Anderson & Holford: 6.0 × (20/70)^0.75 and 44.5 × 20/70.
    expect(relativeDifference(cl.typical, 6 * (20 / 70) ** 0.75)).toBeLessThan(1e-12);
    expect(relativeDifference(v.typical, (44.5 * 20) / 70)).toBeLessThan(1e-12);
    expect(relativeDifference(cl.individual, ref('CL'))).toBeLessThan(1e-4);
    expect(relativeDifference(v.ratio, Math.exp(ref('eta_V')))).toBeLessThan(1e-4);
    expect(relativeDifference(cl.sdLaplace, Math.sqrt(ref('cov_CL_CL')))).toBeLessThan(1e-2);
    // 1000 Laplace draws: their SD within a few percent of the Laplace one.
    expect(Math.abs(cl.sdDraws / cl.sdLaplace - 1)).toBeLessThan(0.1);
    expect(cl.shrinkage).toBe(laplace.fit.shrinkage[0]);
  });

  it('forecasts each regimen as R does and recommends 17.5 mg/kg q6h', () => {
    const target = readTarget(defaultTarget('C'), ['C']);
    if (target.problem) throw new Error(target.problem.message);
    const candidates = readCandidates(defaultRegimens(), { steadyState: true, start: '' }, 20);
    const { forecasts, recommendation } = compareRegimens(
      objective,
      laplace.draws,
      candidates.regimens,
      target.target,
      target.threshold
    );
    forecasts.forEach((f, i) => {
      // The median AUC24 is daily dose / CL at the MAP (numeric AUC on the grid: 0.5 %).
      expect(relativeDifference(f.p50, ref(`median_auc24_${i + 1}`))).toBeLessThan(0.005);
      // Monte Carlo SE of a proportion from 1000 draws ≤ 0.016: 3 SE.
      expect(Math.abs(f.probability - ref(`p_target_${i + 1}`))).toBeLessThan(0.05);
    });
    expect(recommendation.index).toBe(2);
    expect(recommendation.reachesThreshold).toBe(true);
    expect(recommendation.reason).toMatch(
      /^17\.5 mg\/kg q6h \(350 mg over 1 h\): the smallest daily dose \(1400 mg\/day\)/
    );
  });

  it('gives the same recommendation with sampling importance resampling', () => {
    const sir = patientPosterior(objective, { method: 'sir', seed: 1, key: 1, draws: 1000 });
    const target = readTarget(defaultTarget('C'), ['C']);
    if (target.problem) throw new Error(target.problem.message);
    const { regimens } = readCandidates(defaultRegimens(), { steadyState: true, start: '' }, 20);
    const { recommendation } = compareRegimens(
      objective,
      sir.draws,
      regimens,
      target.target,
      target.threshold
    );
    expect(recommendation.index).toBe(2);
  });
});
