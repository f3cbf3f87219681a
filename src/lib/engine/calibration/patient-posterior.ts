/**
 * One patient fitted and their posterior drawn, as a dosing page shows them: the MAP fit
 * (`fitPatient`), posterior draws of the etas — from the Laplace approximation or by
 * sampling importance resampling (`sample-posterior`) — with their moments, and the
 * patient's profile over their own doses with its 90 % band (`patientProfile`). The draws
 * then serve every regimen's forecast (`compareRegimens`).
 */
import { fitPatient, type PatientFit } from './fit-patient';
import type { PatientObjective } from './patient-objective';
import { patientProfile, type PatientProfile } from './patient-profile';
import { drawMoments, laplaceDraws, sirDraws, type PosteriorDraws } from './sample-posterior';

export type PosteriorMethod = 'laplace' | 'sir';

export interface PatientPosteriorOptions {
  method: PosteriorMethod;
  seed: number;
  /** The patient's key for its draws (its index in the data, from 1, as the CLI keys them). */
  key: number;
  draws?: number;
}

export interface PatientPosterior {
  fit: PatientFit;
  draws: PosteriorDraws;
  /** Mean and covariance of the drawn etas (beside the Laplace covariance: the check of it). */
  moments: { mean: Float64Array; covariance: Float64Array };
  profile: PatientProfile;
}

export function patientPosterior(
  objective: PatientObjective,
  options: PatientPosteriorOptions
): PatientPosterior {
  const fit = fitPatient(objective);
  const drawOptions = { seed: options.seed, key: options.key, draws: options.draws };
  const draws =
    options.method === 'sir'
      ? sirDraws(objective, fit, drawOptions)
      : laplaceDraws(objective, fit, drawOptions);
  return { fit, draws, moments: drawMoments(draws), profile: patientProfile(objective, fit, draws) };
}
