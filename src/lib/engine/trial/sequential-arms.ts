import { generateCohortChunk } from '../cohort';
import { allocateMinimisation, allocateStratified } from './allocate';
import type { TrialPlan } from './compile-protocol';
import { replicateSeed } from './replicate-seed';

/**
 * Allocation that goes twin by twin through the whole cohort of a replicate (stratified
 * permuted blocks, Pocock–Simon minimisation): the twins' factor levels come from
 * generating the replicate's cohort (in slices, to bound memory), then arms are assigned
 * in twin-id order. Returns each twin's arm and stratum code (its levels of the
 * allocation factors, packed).
 */
export function sequentialArms(
  plan: TrialPlan,
  replicate: number,
  n: number
): { arms: Int16Array; strata: Int32Array } {
  const seed = replicateSeed(plan.protocol.seed, replicate);
  const strata = new Int32Array(n);
  const levels = plan.strataSlots.map(() => new Int32Array(n));
  const SLICE = 100_000;
  for (let first = 1; first <= n; first += SLICE) {
    const count = Math.min(SLICE, n - first + 1);
    const c = generateCohortChunk(plan.cohort, seed, first, count);
    for (let j = 0; j < count; j++) {
      let code = 0;
      plan.strataSlots.forEach((slot, f) => {
        const level = c.columns[slot][j];
        levels[f][first - 1 + j] = level;
        // Level codes are below 64 (categorical covariates have few levels).
        code = code * 64 + level;
      });
      strata[first - 1 + j] = code;
    }
  }
  const arms =
    plan.allocation.method === 'minimisation'
      ? allocateMinimisation(plan.allocation, seed, levels)
      : allocateStratified(plan.allocation, seed, strata);
  return { arms, strata };
}
