import { generateCohortChunk, type CohortChunk } from '../cohort';
import { allocateMinimisation, allocateStratified } from './allocate';
import type { TrialPlan } from './compile-protocol';
import { replicateSeed } from './replicate-seed';

/**
 * The twins' levels of the allocation factors (the protocol's strata), gathered chunk
 * by chunk in any order, for allocation that goes twin by twin through the whole
 * cohort (stratified permuted blocks, Pocock–Simon minimisation).
 */
export class AllocationFactors {
  /** levels[f][i]: twin i+1's level of factor f. */
  readonly levels: Int32Array[];
  /** Each twin's levels packed into one stratum code. */
  readonly strata: Int32Array;

  constructor(
    private readonly plan: TrialPlan,
    n: number
  ) {
    this.levels = plan.strataSlots.map(() => new Int32Array(n));
    this.strata = new Int32Array(n);
  }

  /** Records the levels of a chunk of the replicate's cohort. */
  add(chunk: CohortChunk): void {
    for (let j = 0; j < chunk.count; j++) {
      const i = chunk.firstId - 1 + j;
      let code = 0;
      this.plan.strataSlots.forEach((slot, f) => {
        const level = chunk.columns[slot][j];
        this.levels[f][i] = level;
        // Level codes are below 64 (categorical covariates have few levels).
        code = code * 64 + level;
      });
      this.strata[i] = code;
    }
  }

  /** Each twin's arm (in twin-id order) and stratum code, for replicate `replicate`. */
  arms(replicate: number): { arms: Int16Array; strata: Int32Array } {
    const seed = replicateSeed(this.plan.protocol.seed, replicate);
    const arms =
      this.plan.allocation.method === 'minimisation'
        ? allocateMinimisation(this.plan.allocation, seed, this.levels)
        : allocateStratified(this.plan.allocation, seed, this.strata);
    return { arms, strata: this.strata };
  }
}

/**
 * Sequential allocation of twins 1..n of a replicate, generating the replicate's cohort
 * (in slices, to bound memory) for their factor levels.
 */
export function sequentialArms(
  plan: TrialPlan,
  replicate: number,
  n: number
): { arms: Int16Array; strata: Int32Array } {
  const seed = replicateSeed(plan.protocol.seed, replicate);
  const factors = new AllocationFactors(plan, n);
  const SLICE = 100_000;
  for (let first = 1; first <= n; first += SLICE) {
    factors.add(generateCohortChunk(plan.cohort, seed, first, Math.min(SLICE, n - first + 1)));
  }
  return factors.arms(replicate);
}
