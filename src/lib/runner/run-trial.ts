import {
  AllocationFactors,
  allocatesSequentially,
  EstimandTruthTotals,
  compileProtocol,
  sequentialArms,
  type ResolvedProtocol,
  type TrialChunk,
  type TrialPlan
} from '../engine/trial';
import type { Connector } from '../db/connector';
import {
  abandonRun,
  beginRun,
  completeRun,
  type EstimandTruthRow,
  insertEstimandTruth,
  insertTrialChunk,
  setRunCohort,
  storeProfileGrid
} from '../db/run-store';
import { calibratedCohortSpec } from '../engine/calibration/calibrated-cohort';
import { generateCohort } from './generate-cohort';
import { cleanUpAndThrow, endedBy } from './cleanup';
import { CancelledError, type WorkerPool } from './pool';

export interface RunTrialOptions {
  db: Connector;
  pool: WorkerPool;
  protocol: ResolvedProtocol;
  /** Overrides of the protocol's cohort size, seed and replicates. */
  n?: number;
  seed?: number;
  replicates?: number;
  /** Override of the protocol's dense-profile grid (h); null stores visits only. */
  dense?: number | null;
  /** Twins per chunk (results are identical for any value). */
  chunkSize?: number;
  /**
   * Only these twins of the cohort (a shard of the trial): their rows are those of the
   * whole run, since every draw is keyed by the twin's id, not by n.
   */
  twins?: TwinRange;
  /** Progress in twin-simulations done of total (twins × replicates). */
  onProgress?: (done: number, total: number) => void;
  /** Progress of generating (or importing) the cohort, in twins, before the simulations. */
  onCohortProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 5_000;

/** Twins first … first + count − 1 of a cohort. */
export interface TwinRange {
  first: number;
  count: number;
}

export interface RunTrialResult {
  runId: number;
  cohortId: number;
  seconds: number;
  /** The exact sums behind the run's `estimand_truth` rows (what a shard hands to the merge). */
  truth: EstimandTruthTotals;
}

/** The protocol with the run's overrides applied: what the run row records. */
export function resolveRunProtocol(
  options: Pick<RunTrialOptions, 'protocol' | 'n' | 'seed' | 'replicates' | 'dense'>
): ResolvedProtocol {
  const p = options.protocol;
  const n = options.n ?? p.cohort.n ?? p.cohort.spec.n;
  const schedule = { ...p.schedule };
  if (options.dense === null) delete schedule.dense;
  else if (options.dense !== undefined) schedule.dense = options.dense;
  return {
    ...p,
    seed: options.seed ?? p.seed,
    replicates: options.replicates ?? p.replicates,
    cohort: {
      ...p.cohort,
      n,
      // Calibrated patients are resampled when n is not their number.
      spec: p.cohort.calibration
        ? calibratedCohortSpec(p.cohort.calibration, n, p.imported?.rows)
        : p.cohort.spec
    },
    schedule
  };
}

/**
 * Runs a trial into the database: records the run, stores the cohort (replicate 0's
 * twins), allocates (stratified allocation and minimisation over all twins here; simple and block
 * allocation inside the chunks), simulates chunks of twins on the worker pool and
 * stores each chunk as it arrives. The run is marked complete (its rows visible) only
 * when every chunk is stored; on an error or cancellation it is marked failed/cancelled
 * and its rows and its cohort deleted.
 */
export async function runTrial(options: RunTrialOptions): Promise<RunTrialResult> {
  const { db, pool, onProgress, signal } = options;
  const started = performance.now();
  const protocol = resolveRunProtocol(options);
  const plan = compileProtocol(protocol); // throws SpecError before anything is written
  const n = protocol.cohort.n!;
  const twins = options.twins ?? { first: 1, count: n };
  const last = twins.first + twins.count - 1;
  if (signal?.aborted) throw new CancelledError();
  const runId = await beginRun(db, runRecord(protocol, plan));
  // The run generates its own cohort, so a failed or cancelled run deletes it too.
  let cohortId: number | undefined;
  try {
    // Sequential allocation needs every earlier twin's factor levels: replicate 0's are taken
    // from the cohort as it is stored, later replicates' (and a shard's) regenerated.
    const sequential = allocatesSequentially(plan.allocation);
    const factors = sequential && !options.twins ? new AllocationFactors(plan, n) : undefined;
    await generateCohort({
      db,
      pool,
      spec: { ...protocol.cohort.spec, n, seed: protocol.seed },
      imported: protocol.imported,
      twins: options.twins,
      onProgress: options.onCohortProgress,
      onChunk: factors && ((chunk) => factors.add(chunk)),
      onBegin: (id) => setRunCohort(db, runId, (cohortId = id)),
      signal
    });
    if (signal?.aborted) throw new CancelledError();
    if (protocol.schedule.dense !== undefined) await storeProfileGrid(db, runId, plan.times);

    const size = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
    const tasks: {
      replicate: number;
      first: number;
      count: number;
      arms?: Int16Array;
      strata?: Int32Array;
    }[] = [];
    for (let r = 0; r < protocol.replicates; r++) {
      let arms: Int16Array | undefined;
      let strata: Int32Array | undefined;
      if (factors && r === 0) ({ arms, strata } = factors.arms(0));
      else if (sequential) ({ arms, strata } = sequentialArms(plan, r, last));
      for (let first = twins.first; first <= last; first += size) {
        const count = Math.min(size, last - first + 1);
        tasks.push({
          replicate: r,
          first,
          count,
          arms: arms?.slice(first - 1, first - 1 + count),
          strata: strata?.slice(first - 1, first - 1 + count)
        });
      }
    }
    const total = twins.count * protocol.replicates;
    const truth = new EstimandTruthTotals(plan.estimands.length * plan.arms.length, protocol.replicates);
    let done = 0;
    onProgress?.(0, total);
    await pool.map(
      tasks,
      (api, t) => Promise.resolve(api.simulateTrialChunk(t.replicate, t.first, t.count, t.arms, t.strata)),
      {
        init: (api) => api.prepareTrial(protocol),
        onResult: async (chunk: TrialChunk) => {
          await insertTrialChunk(db, runId, chunk);
          truth.add(chunk.replicate, chunk.truth);
          done += chunk.count;
          onProgress?.(done, total);
        },
        signal
      }
    );
    await insertEstimandTruth(db, runId, estimandTruthRows(plan, truth));
    const seconds = (performance.now() - started) / 1000;
    await completeRun(db, runId, seconds);
    return { runId, cohortId: cohortId!, seconds, truth };
  } catch (e) {
    const { status, error, thrown } = endedBy(e, signal);
    return cleanUpAndThrow(thrown, () => abandonRun(db, runId, status, error, cohortId));
  }
}

/** What the run row records of a protocol and its compiled plan (a merge of shards records the same). */
export function runRecord(protocol: ResolvedProtocol, plan: TrialPlan): Parameters<typeof beginRun>[1] {
  const endpoints = plan.endpoints.map((e) => e.name);
  return {
    name: protocol.name,
    protocol,
    seed: protocol.seed,
    replicates: protocol.replicates,
    nTwins: protocol.cohort.n!,
    design: protocol.design,
    arms: plan.arms.map((a) => a.name),
    variables: plan.model.outputs.map((o) => o.name),
    endpoints,
    primaryEndpoint: endpoints[plan.primary],
    reasons: plan.intercurrent?.reasons
  };
}

/** The true estimand values per replicate, endpoint, estimand and arm: each a mean over the twins. */
export function estimandTruthRows(plan: TrialPlan, totals: EstimandTruthTotals): EstimandTruthRow[] {
  const nArms = plan.arms.length;
  return Array.from({ length: totals.replicates }, (_, replicate) =>
    plan.estimands.flatMap((e, s) =>
      plan.arms.map((arm, a) => ({
        replicate,
        endpoint: plan.endpoints[e.endpoint].name,
        estimand: e.strategy,
        arm: arm.name,
        value: totals.sum(replicate, s * nArms + a) / totals.counts[replicate],
        n: totals.counts[replicate]
      }))
    )
  ).flat();
}
