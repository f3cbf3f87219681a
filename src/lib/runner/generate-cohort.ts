import {
  checkFirstTwins,
  compileCohort,
  estimateAcceptance,
  takeImportedRows,
  type CohortChunk,
  type ImportedTable
} from '../engine/cohort';
import {
  abandonCohort,
  beginCohort,
  completeCohort,
  insertTwinChunk,
  type ScreeningSummary
} from '../db/cohort-store';
import type { Connector } from '../db/connector';
import type { CohortSpec } from '../spec/cohort-schema';
import { cleanUpAndThrow, endedBy } from './cleanup';
import { CancelledError, type WorkerPool } from './pool';

export interface GenerateCohortOptions {
  db: Connector;
  pool: WorkerPool;
  spec: CohortSpec;
  /** Twins from the spec's import file, already read (see io/read-table). */
  imported?: ImportedTable;
  /** Overrides of the spec's n and seed. */
  n?: number;
  seed?: number;
  /** Twins per chunk (results are identical for any value). */
  chunkSize?: number;
  /** Only these twins (a shard of a trial); twin i is the same whatever the range. */
  twins?: { first: number; count: number };
  onProgress?: (done: number, total: number) => void;
  /** Sees every stored chunk of twins (in arrival order, not twin-id order). */
  onChunk?: (chunk: CohortChunk) => void;
  /** Learns the cohort's id as soon as its row exists (a run records it at once). */
  onBegin?: (cohortId: number) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface GeneratedCohort {
  cohortId: number;
  screening: ScreeningSummary;
}

/** The pilot sample that checks the criteria's acceptance rate before a run starts. */
const PILOT_DRAWS = 20_000;
const DEFAULT_CHUNK = 50_000;

export class CohortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CohortError';
  }
}

/**
 * Generates a cohort into the database: validates and compiles the spec, checks the
 * screening acceptance rate, runs chunks of twins on the worker pool and stores them
 * chunk by chunk. The cohort is marked complete only when every twin is stored; on an
 * error or cancellation it is marked failed/cancelled and its staged twins dropped.
 */
export async function generateCohort(options: GenerateCohortOptions): Promise<GeneratedCohort> {
  const { db, pool, imported, onProgress, signal } = options;
  const spec: CohortSpec = {
    ...options.spec,
    n: options.n ?? options.spec.n,
    seed: options.seed ?? options.spec.seed
  };
  const plan = compileCohort(spec, imported); // throws SpecError before anything is written
  const resample = !imported || plan.bootstrap;

  if (resample && plan.criteria.length) {
    const pilot = estimateAcceptance(plan, spec.seed, PILOT_DRAWS);
    if (pilot.rate < plan.minAcceptance) {
      const worst = plan.criteria
        .map((c, k) => `'${c.label}' fails ${((pilot.failedAny[k] / pilot.draws) * 100).toFixed(1)}%`)
        .join('; ');
      throw new CohortError(
        `criteria: N=${spec.n} cannot be reached: only ${pilot.accepted} of ${pilot.draws} candidates ` +
          `(${((pilot.rate * 100) as number).toPrecision(3)}%) meet all criteria, below screening.minAcceptance ` +
          `${plan.minAcceptance * 100}% (${worst}). Relax the criteria or the covariate distributions.`
      );
    }
  }

  checkFirstTwins(plan, spec.seed, spec.n); // a value that is not finite: refused before anything is written

  const cohortId = await beginCohort(db, { name: spec.name, seed: spec.seed, spec, columns: plan.columns });
  const tally = {
    screened: 0,
    enrolled: 0,
    failedAny: plan.criteria.map(() => 0),
    failedFirst: plan.criteria.map(() => 0)
  };
  const store = async (chunk: CohortChunk) => {
    await insertTwinChunk(db, cohortId, plan.columns, chunk);
    options.onChunk?.(chunk);
    tally.screened += chunk.screened;
    tally.enrolled += chunk.count;
    chunk.failedAny.forEach((x, k) => (tally.failedAny[k] += x));
    chunk.failedFirst.forEach((x, k) => (tally.failedFirst[k] += x));
    onProgress?.(tally.enrolled, options.twins?.count ?? (resample ? spec.n : plan.importedRows));
  };

  try {
    await options.onBegin?.(cohortId);
    if (signal?.aborted) throw new CancelledError();
    const range = options.twins ?? { first: 1, count: spec.n };
    const last = range.first + range.count - 1;
    if (!resample) {
      const rows = takeImportedRows(plan, spec.n);
      await store(options.twins ? sliceChunk(rows, range.first, range.count) : rows);
    } else {
      const size = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
      const tasks: [number, number][] = [];
      for (let first = range.first; first <= last; first += size)
        tasks.push([first, Math.min(size, last - first + 1)]);
      onProgress?.(0, range.count);
      await pool.map(
        tasks,
        (api, [first, count]) => Promise.resolve(api.generateCohortChunk(spec.seed, first, count)),
        {
          init: (api) => api.prepareCohort(spec, imported),
          onResult: store,
          signal
        }
      );
    }
    const screening: ScreeningSummary = {
      screened: tally.screened,
      enrolled: tally.enrolled,
      criteria: plan.criteria.map((c, k) => ({
        label: c.label,
        failedAny: tally.failedAny[k],
        failedFirst: tally.failedFirst[k]
      }))
    };
    await completeCohort(db, cohortId, plan.columns, screening);
    return { cohortId, screening };
  } catch (e) {
    const { status, error, thrown } = endedBy(e, signal);
    return cleanUpAndThrow(thrown, () => abandonCohort(db, cohortId, status, error));
  }
}

/**
 * Twins first … first + count − 1 of an imported table taken as it is. The chunk keeps the
 * screening counts of the whole table: those belong to the cohort, not to a part of it.
 */
function sliceChunk(chunk: CohortChunk, first: number, count: number): CohortChunk {
  const from = first - chunk.firstId;
  // a table with fewer rows than asked for gives the shards what it has
  count = Math.max(0, Math.min(count, chunk.count - from));
  return {
    ...chunk,
    firstId: first,
    count,
    columns: chunk.columns.map((c) => c.slice(from, from + count))
  };
}
