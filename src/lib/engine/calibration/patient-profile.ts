/**
 * A fitted patient over their own dose history, as the fit is shown (the goodness-of-fit
 * picture of Bayesian dosing tools, e.g. mapbayr's `plot(est)`: observations with the
 * population and individual predictions and a prediction band): the population
 * prediction (η = 0, the patient's covariates applied), the individual prediction at the
 * MAP (η̂), and the 5th and 95th percentiles of the prediction over posterior draws of
 * η (a 90 % band for the patient's true curve, without residual error). The grid holds
 * regular steps plus every dose, infusion end and observation time, so peaks and the
 * observed points are on it.
 */
import type { Dose } from '../models/dosing';
import { drawBands } from './draw-bands';
import type { PatientFit } from './fit-patient';
import type { PatientObjective } from './patient-objective';
import type { PosteriorDraws } from './sample-posterior';

export interface PatientProfile {
  /** h on the patient's clock. */
  times: Float64Array;
  /** One row per model output (model.outputs order): values[o · times.length + k]. */
  pred: Float64Array;
  ipred: Float64Array;
  band5: Float64Array;
  band95: Float64Array;
}

export const patientProfileDefaults = {
  /** Regular steps of the grid (dose, infusion-end and observation times are added). */
  points: 240,
  /** Last time (h); default 10 % past the last observation or dose. */
  end: undefined as number | undefined
};

/** Regular steps over [0, end] plus every dose time, infusion end and observation time. */
export function profileGrid(
  doses: readonly Dose[],
  observed: ArrayLike<number>,
  end: number,
  points: number
): Float64Array {
  const grid = new Set<number>();
  for (let k = 0; k <= points; k++) grid.add((end * k) / points);
  for (const d of doses) for (const t of [d.time, d.time + (d.duration ?? 0)]) if (t <= end) grid.add(t);
  for (let j = 0; j < observed.length; j++) if (observed[j] <= end) grid.add(observed[j]);
  return Float64Array.from(grid).sort();
}

export function patientProfile(
  objective: PatientObjective,
  fit: PatientFit,
  draws: PosteriorDraws,
  options: Partial<typeof patientProfileDefaults> = {}
): PatientProfile {
  const o = { ...patientProfileDefaults, ...options };
  const { record, regimen, typical, calibration } = objective;
  const { parameters, simulator, model } = calibration;
  const last = Math.max(
    0,
    ...record.observations.time,
    ...record.doses.map((d) => d.time + (d.duration ?? 0))
  );
  const end = o.end ?? (last > 0 ? last * 1.1 : 1);
  const times = profileGrid(record.doses, record.observations.time, end, o.points);
  const nT = times.length;
  const size = model.outputs.length * nT;
  const params = new Float64Array(parameters.nParameters);
  const simulate = (eta: Float64Array, out: Float64Array) => {
    parameters.applyEtas(typical, eta, params);
    simulator.simulateTwin(params, 0, regimen, times, out, 1);
  };
  const pred = new Float64Array(size);
  const ipred = new Float64Array(size);
  simulate(new Float64Array(fit.eta.length), pred);
  simulate(fit.eta, ipred);

  // Every draw's profile, then each grid point's percentiles over the draws.
  const all = new Float64Array(draws.draws * size);
  const eta = new Float64Array(draws.nEta);
  for (let d = 0; d < draws.draws; d++) {
    eta.set(draws.etas.subarray(d * draws.nEta, (d + 1) * draws.nEta));
    simulate(eta, all.subarray(d * size, (d + 1) * size));
  }
  const [band5, band95] = drawBands(all, draws.draws, size, [0.05, 0.95]);
  return { times, pred, ipred, band5, band95 };
}
