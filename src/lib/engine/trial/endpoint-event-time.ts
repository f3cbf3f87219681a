import type { Dose } from '../models';
import type { CompiledEndpoint } from './compile-endpoints';

/**
 * The first event time of a time-to-event endpoint along a twin's solution (NaN: none
 * before the study's end), its hazard scaled by exp(Σ β × covariate) of the twin's
 * covariates (row j of the chunk's cohort columns). `one` holds the twin's id.
 */
export function endpointEventTime(
  e: CompiledEndpoint,
  params: Float64Array,
  doses: Dose[],
  columns: Float64Array[],
  j: number,
  seed: number,
  one: Int32Array
): number {
  let lp = 0;
  for (const h of e.hazardCovariates) lp += h.beta * columns[h.slot][j];
  return e.events!.simulateChunk(params, doses, seed, one, Float64Array.of(lp), 0).times[0];
}
