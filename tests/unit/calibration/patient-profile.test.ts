// A fitted patient's profile over their own doses, checked against the closed form of a
// 1-compartment model with 1-h infusions (superposition; Gibaldi & Perrier 1982).
import { describe, expect, it } from 'vitest';
import { calibrationModel } from '../../../src/lib/engine/calibration/calibration-model';
import { drawBands } from '../../../src/lib/engine/calibration/draw-bands';
import { fitPatient } from '../../../src/lib/engine/calibration/fit-patient';
import { PatientObjective } from '../../../src/lib/engine/calibration/patient-objective';
import { patientProfile, profileGrid } from '../../../src/lib/engine/calibration/patient-profile';
import { laplaceDraws } from '../../../src/lib/engine/calibration/sample-posterior';
import { parseModelSpec } from '../../../src/lib/engine/models/spec';
import { maxRelativeDifference } from '../../helpers/relative-difference';

const text = `model iv
parameters
  CL = 3 [L/h] "clearance"
  V = 12 [L] "volume"
variability
  CL ~ lognormal(var = 0.1)
  V ~ lognormal(var = 0.05)
pk one_compartment(iv, CL = CL, V = V)
outputs
  C = C [mg/L] ~ proportional(0.1) "concentration"
`;

/** Concentration after 300 mg infused over 1 h at each dose time (closed form). */
function closedForm(t: number, cl: number, v: number, doses: number[]): number {
  const k = cl / v;
  return doses.reduce((c, d) => {
    const s = t - d;
    if (s <= 0) return c;
    if (s <= 1) return c + (300 / cl) * (1 - Math.exp(-k * s));
    return c + (300 / cl) * (1 - Math.exp(-k)) * Math.exp(-k * (s - 1));
  }, 0);
}

describe('patientProfile', () => {
  const { spec, model } = parseModelSpec({ model: { text } });
  const calibration = calibrationModel(model, spec);
  const doseTimes = [0, 6, 12];
  const record = {
    id: '7',
    covariates: {},
    doses: doseTimes.map((time) => ({ time, amount: 300, target: model.doseTargets[0].name, duration: 1 })),
    observations: {
      time: Float64Array.of(14, 17.5),
      output: Int32Array.of(0, 0),
      value: Float64Array.of(30, 9),
      blq: Uint8Array.of(0, 0),
      lloq: Float64Array.of(NaN, NaN)
    }
  };
  const objective = new PatientObjective(calibration, record);
  const fit = fitPatient(objective);
  const draws = laplaceDraws(objective, fit, { seed: 3, key: 1, draws: 400 });
  const profile = patientProfile(objective, fit, draws);

  it('holds every dose, infusion end and observation time, and runs 10 % past the last one', () => {
    for (const t of [0, 1, 6, 7, 12, 13, 14, 17.5]) expect(profile.times).toContain(t);
    expect(profile.times[profile.times.length - 1]).toBeCloseTo(17.5 * 1.1, 12);
  });

  it('is the closed form at the typical and at the individual parameters', () => {
    const pred = Array.from(profile.times, (t) => closedForm(t, 3, 12, doseTimes));
    expect(maxRelativeDifference(profile.pred.subarray(1), pred.slice(1), 1e-9)).toBeLessThan(1e-9);
    const [cl, v] = fit.parameters;
    const ipred = Array.from(profile.times, (t) => closedForm(t, cl, v, doseTimes));
    expect(maxRelativeDifference(profile.ipred.subarray(1), ipred.slice(1), 1e-9)).toBeLessThan(1e-9);
    // At the observations the profile is the fit's IPRED (simulated on another grid).
    const at = (t: number) => profile.ipred[profile.times.indexOf(t)];
    expect(maxRelativeDifference([at(14), at(17.5)], fit.ipred)).toBeLessThan(1e-12);
  });

  it('has a band that holds the individual prediction wherever there is drug', () => {
    for (let k = 1; k < profile.times.length; k++) {
      expect(profile.band5[k]).toBeLessThanOrEqual(profile.band95[k]);
      expect(profile.band5[k]).toBeLessThan(profile.ipred[k]);
      expect(profile.band95[k]).toBeGreaterThan(profile.ipred[k]);
    }
  });
});

describe('drawBands', () => {
  it("takes R's type 7 percentiles of each point over the draws", () => {
    // Point 0 over five draws is 5, 1, 4, 2, 3: R quantile(1:5, c(0.05, 0.5, 0.95)) = 1.2, 3, 4.8.
    const profiles = Float64Array.of(5, 10, 1, 20, 4, 30, 2, 40, 3, 50);
    const [low, mid, high] = drawBands(profiles, 5, 2, [0.05, 0.5, 0.95]);
    expect(maxRelativeDifference(low, [1.2, 12])).toBeLessThan(1e-15);
    expect([...mid]).toEqual([3, 30]);
    expect(maxRelativeDifference(high, [4.8, 48])).toBeLessThan(1e-15);
  });

  it('makes a regular grid with the given extra times', () => {
    expect([...profileGrid([{ time: 1, amount: 1, target: 'central', duration: 0.5 }], [2.2], 4, 4)]).toEqual(
      [0, 1, 1.5, 2, 2.2, 3, 4]
    );
  });
});
