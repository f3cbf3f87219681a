import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { parseModelSpec } from '../../../src/lib/engine/models/spec';
import { calibrationModel } from '../../../src/lib/engine/calibration/calibration-model';
import { PatientObjective } from '../../../src/lib/engine/calibration/patient-objective';
import { forecastRegimen, type ExposureTarget } from '../../../src/lib/engine/calibration/forecast';
import { recommendRegimen } from '../../../src/lib/engine/calibration/recommend-regimen';
import type { PosteriorDraws } from '../../../src/lib/engine/calibration/sample-posterior';
import { normalCdf, normalQuantile } from '../../../src/lib/engine/rng';

// A vancomycin-like 1-compartment IV model whose clearance is lognormal around 5 L/h with
// SD 0.2 on the log scale: at steady state AUC24 = daily dose / CL exactly, so
// P(400 ≤ AUC24 ≤ 600) = Φ((log(D/400) − log 5)/0.2) − Φ((log(D/600) − log 5)/0.2).
const text = `model vanco
parameters
  CL = 5 [L/h] "clearance"
  V = 40 [L] "volume"
variability
  CL ~ lognormal(sd = 0.2)
pk one_compartment(iv, CL = CL, V = V)
outputs
  C = C [mg/L] ~ proportional(0.1) "concentration"
`;

function setup() {
  const compiled = compileModelText(text);
  const { spec, model } = parseModelSpec({ model: { text } });
  expect(compiled.model.name).toBe('vanco');
  const calibration = calibrationModel(model, spec);
  const record = {
    id: 'p1',
    covariates: {},
    doses: [],
    observations: {
      time: Float64Array.of(1),
      output: Int32Array.of(0),
      value: Float64Array.of(1),
      blq: Uint8Array.of(0),
      lloq: Float64Array.of(NaN)
    }
  };
  return new PatientObjective(calibration, record);
}

/** The posterior N(0, 0.2²) of η_CL as evenly spaced quantiles: no Monte Carlo noise. */
function quantileDraws(n: number): PosteriorDraws {
  const etas = Float64Array.from({ length: n }, (_, d) => 0.2 * normalQuantile((d + 0.5) / n));
  return { method: 'laplace', etas, draws: n, nEta: 1 };
}

const target: ExposureTarget = { output: 'C', metric: 'auc', from: 0, to: 24, low: 400, high: 600 };
const daily = [1000, 1500, 2000, 2500, 3000, 3500];
const closedForm = (d: number) =>
  normalCdf((Math.log(d / 400) - Math.log(5)) / 0.2) - normalCdf((Math.log(d / 600) - Math.log(5)) / 0.2);

describe('forecastRegimen on a closed-form case', () => {
  const objective = setup();
  const draws = quantileDraws(4000);
  const forecasts = daily.map((d, i) =>
    forecastRegimen(
      objective,
      draws,
      { amount: d / 4, interval: 6, duration: 1, start: 0, steadyState: true },
      target,
      i
    )
  );

  it('gives AUC24 = dose / CL at steady state for the median twin', () => {
    for (const [i, f] of forecasts.entries()) {
      expect(f.dailyDose).toBe(daily[i]);
      expect(f.p50).toBeCloseTo(daily[i] / 5, 1);
      // The 90 % interval of D/CL: D/5 · e^{∓1.645·0.2}
      expect(f.p5 / (daily[i] / 5)).toBeCloseTo(Math.exp(-1.6449 * 0.2), 3);
      expect(f.p95 / (daily[i] / 5)).toBeCloseTo(Math.exp(1.6449 * 0.2), 3);
    }
  });

  it('gives the probability of the target range of the closed form', () => {
    for (const [i, f] of forecasts.entries())
      expect(Math.abs(f.probability - closedForm(daily[i]))).toBeLessThan(2e-3);
  });

  it('recommends the smallest daily dose reaching the threshold, or says none does', () => {
    const none = recommendRegimen(forecasts, target, 0.8);
    expect(none.reachesThreshold).toBe(false);
    expect(forecasts[none.index].dailyDose).toBe(2500);
    expect(none.reason).toMatch(/no regimen reaches P\(AUC of C over 0–24 h in 400–600\) ≥ 80 %/);
    const reached = recommendRegimen(forecasts, target, 0.45);
    expect(reached.reachesThreshold).toBe(true);
    expect(forecasts[reached.index].dailyDose).toBe(2000);
    expect(reached.reason).toMatch(/smallest daily dose \(2000 mg\/day\)/);
  });

  it('refuses a regimen with a bad field, naming it', () => {
    expect(() =>
      forecastRegimen(objective, draws, { amount: 100, interval: 0, start: 0 }, target, 3)
    ).toThrow(/regimens\[3\]\.interval: must be > 0 h, got 0/);
    expect(() =>
      forecastRegimen(objective, draws, { amount: 100, interval: 6, start: 0 }, { ...target, output: 'X' })
    ).toThrow(/target\.output: model vanco has no output 'X' \(has C\)/);
  });
});

// The same cases computed in R (tests/golden/calibration/dose-recommendation.R): case A
// reaches no 80 %, case B's smallest dose reaching it is not the one with the highest P.
interface DoseCase {
  name: string;
  clearancePosterior: { logMean: number; logSd: number };
  candidates: { dailyDose: number; probability: number }[];
  recommendedDailyDose: number;
}
const golden: { probabilityThreshold: number; cases: DoseCase[] } = JSON.parse(
  readFileSync(join(__dirname, '../../golden/calibration/dose-recommendation.json'), 'utf8')
);

describe('dose recommendation agrees with R', () => {
  const objective = setup();
  for (const c of golden.cases) {
    it(`case ${c.name}: probabilities and the recommended daily dose`, () => {
      const n = 4000;
      const { logMean, logSd } = c.clearancePosterior;
      // η_CL = log-mean − log 5 + log-SD · z, z at evenly spaced normal quantiles.
      const etas = Float64Array.from(
        { length: n },
        (_, d) => logMean - Math.log(5) + logSd * normalQuantile((d + 0.5) / n)
      );
      const draws: PosteriorDraws = { method: 'laplace', etas, draws: n, nEta: 1 };
      const forecasts = c.candidates.map((k, i) =>
        forecastRegimen(
          objective,
          draws,
          { amount: k.dailyDose / 4, interval: 6, duration: 1, start: 0, steadyState: true },
          target,
          i
        )
      );
      forecasts.forEach((f, i) =>
        expect(Math.abs(f.probability - c.candidates[i].probability)).toBeLessThan(3e-3)
      );
      const r = recommendRegimen(forecasts, target, golden.probabilityThreshold);
      expect(forecasts[r.index].dailyDose).toBe(c.recommendedDailyDose);
    });
  }
});
