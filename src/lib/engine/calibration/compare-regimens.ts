/**
 * Candidate regimens side by side for one calibrated patient: each one's forecast under
 * the same posterior draws (`forecastRegimen`: the metric's median, 90 % prediction
 * interval and probability of reaching the target) and the regimen recommended by the
 * stated rule (`recommendRegimen`).
 */
import {
  forecastRegimen,
  type CandidateRegimen,
  type ExposureTarget,
  type RegimenForecast
} from './forecast';
import type { PatientObjective } from './patient-objective';
import { recommendRegimen, type Recommendation } from './recommend-regimen';
import type { PosteriorDraws } from './sample-posterior';

export interface RegimenComparison {
  forecasts: RegimenForecast[];
  recommendation: Recommendation;
}

export function compareRegimens(
  objective: PatientObjective,
  draws: PosteriorDraws,
  regimens: readonly CandidateRegimen[],
  target: ExposureTarget,
  threshold?: number
): RegimenComparison {
  const forecasts = regimens.map((r, i) => forecastRegimen(objective, draws, r, target, i));
  return { forecasts, recommendation: recommendRegimen(forecasts, target, threshold) };
}
