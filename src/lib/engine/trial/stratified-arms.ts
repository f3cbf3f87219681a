import { generateCohortChunk } from '../cohort';
import { allocateStratified } from './allocate';
import type { TrialPlan } from './compile-protocol';
import { replicateSeed } from './replicate-seed';

/**
 * Stratified permuted-block allocation of twins 1..n of a replicate: their strata come
 * from generating the replicate's cohort (in slices, to bound memory), then blocks are
 * filled within each stratum in twin-id order. Returns each twin's arm and stratum code.
 */
export function stratifiedArms(
  plan: TrialPlan,
  replicate: number,
  n: number
): { arms: Int16Array; strata: Int32Array } {
  const seed = replicateSeed(plan.protocol.seed, replicate);
  const strata = new Int32Array(n);
  const SLICE = 100_000;
  for (let first = 1; first <= n; first += SLICE) {
    const count = Math.min(SLICE, n - first + 1);
    const c = generateCohortChunk(plan.cohort, seed, first, count);
    for (let j = 0; j < count; j++) {
      let code = 0;
      // Level codes are below 64 (categorical covariates have few levels).
      for (const slot of plan.strataSlots) code = code * 64 + c.columns[slot][j];
      strata[first - 1 + j] = code;
    }
  }
  return { arms: allocateStratified(plan.allocation, seed, strata), strata };
}
