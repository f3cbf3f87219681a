import { transfer } from 'comlink';
import { compileCohort, type ImportedTable } from '../engine/cohort/compile-cohort';
import { generateCohortChunk, type CohortChunk } from '../engine/cohort/generate-chunk';
import type { CohortPlan } from '../engine/cohort/plan';
import type { CohortSpec } from '../spec/cohort-schema';

/**
 * What a worker can do: the engine's chunk functions, exposed through comlink. The same
 * object runs in a browser Web Worker, a Node worker_thread, or in-process (0 workers).
 * Results carry their typed arrays as transferables, so nothing is copied on the way back.
 */
let cohortPlan: CohortPlan | undefined;

export const workerApi = {
  /** Compiles a cohort spec in this worker; later chunk calls use it. */
  prepareCohort(spec: CohortSpec, imported?: ImportedTable): void {
    cohortPlan = compileCohort(spec, imported);
  },

  generateCohortChunk(seed: number, firstId: number, count: number): CohortChunk {
    if (!cohortPlan) throw new Error('prepareCohort must be called before generateCohortChunk');
    const chunk = generateCohortChunk(cohortPlan, seed, firstId, count);
    return transfer(
      chunk,
      chunk.columns.map((c) => c.buffer as ArrayBuffer)
    );
  }
};

export type WorkerApi = typeof workerApi;
