import {
  operatingCharacteristics,
  type OperatingCharacteristic
} from '../analysis/operating-characteristics';
import { repeatedMethodLabel, type RepeatedMethod } from '../analysis/repeated-analysis';
import {
  ANALYSIS_FIELDS,
  primaryMethodFor,
  type ReplicateAnalysisRequest
} from '../analysis/replicate-analysis';
import type { Connector } from '../db/connector';
import {
  abandonPower,
  beginPower,
  completePower,
  insertAnalysisReplicates,
  insertReplicates
} from '../db/power-store';
import { compileProtocol, type ResolvedProtocol, type TrialPlan } from '../engine/trial';
import { normalQuantile } from '../engine/rng';
import { cleanUpAndThrow, endedBy } from './cleanup';
import { CancelledError, type WorkerPool } from './pool';
import { nullScenario } from './null-scenario';
import type { PowerReplicates } from './worker-api';
import { resolveRunProtocol } from './run-trial';

/**
 * Twins of each replicate whose estimands' true values a power study simulates. Each costs
 * two more simulations of a three-arm trial, so the truth is what most of the time goes to;
 * over 1,000 replicates, 100 twins each put the true value's Monte Carlo SE (which the
 * bias's includes) at about half the bias's own, from the estimates.
 */
export const DEFAULT_TRUTH_TWINS = 100;

/**
 * Power and probability of success by replicate trials. For each total sample size n,
 * replicate trials r = 0, 1, … are simulated whole (keyed by (seed, r), so the same
 * replicate at another n shares its first twins) and analysed with the primary
 * analysis in the workers; power is the share of replicates in which an active arm
 * beats control at level alpha (Holm-adjusted across arms), with a Wilson 95% CI.
 * Replicates run in waves; with `precision`, a size stops once every arm's CI
 * half-width is below it (deterministic: the decision is taken on whole waves).
 *
 * Operating characteristics: when the primary endpoint declares estimands, or `analyses`
 * names repeated-measures analyses, each replicate also runs those analyses on its observed
 * visits (analysis/repeated-analysis) and returns its estimands' true effects, and each size
 * reports per analysis, arm and estimand the bias, SEs, coverage and rejection rate
 * (analysis/operating-characteristics). `nullScenario` gives every arm the control's
 * treatment, so the rejection rate is the type I error.
 */
export interface PowerOptions {
  db?: Connector;
  pool: WorkerPool;
  protocol: ResolvedProtocol;
  sizes: number[];
  replicates: number;
  alpha?: number;
  /** Success needs an estimate at least this far from no effect, in its sign's direction. */
  delta?: number;
  /** Stop a size early once the Monte Carlo CI half-width of power is below this. */
  precision?: number;
  /** Also search the smallest n reaching this power (bisection between the sizes). */
  targetPower?: number;
  /** Replicates per task (default: at most 25, about four tasks a worker). */
  batch?: number;
  /** Repeated-measures analyses of each replicate; default DEFAULT_ANALYSES when the primary endpoint declares estimands, else none ([] for none at all). */
  analyses?: RepeatedMethod[];
  /** Imputations of the multiple-imputation analyses; default 20. */
  imputations?: number;
  /**
   * Twins of each replicate whose estimands' true values are simulated (each under every
   * arm); default DEFAULT_TRUTH_TWINS, Infinity for all.
   */
  truthTwins?: number;
  /** Every arm gets the control's treatment (type I error). */
  nullScenario?: boolean;
  /**
   * Only replicates first … first + count − 1 of the `replicates` at each size (a shard of
   * the study): their rows are those of the whole study, as each replicate is keyed by its
   * index. Not with precision or targetPower, whose decisions need every replicate.
   */
  part?: { first: number; count: number };
  onProgress?: (update: PowerProgress) => void;
  signal?: AbortSignal;
}

export interface ArmPower {
  arm: string;
  power: number;
  ciLow: number;
  ciHigh: number;
  /** Share of replicates meeting the success criterion (significant and |effect| ≥ |delta|). */
  probabilityOfSuccess: number;
  meanEstimate: number;
}

export interface SizePower {
  n: number;
  replicates: number;
  arms: ArmPower[];
  /** per analysis, arm and estimand, when the study runs repeated-measures analyses */
  operating?: OperatingCharacteristic[];
}

/** The analyses a study of operating characteristics runs unless told otherwise. */
export const DEFAULT_ANALYSES: readonly RepeatedMethod[] = ['mmrm', 'mi_mar', 'mi_j2r', 'locf', 'completers'];

export interface PowerResult {
  powerId?: number;
  method: string;
  control: string;
  sizes: SizePower[];
  sampleSize?: { target: number; n: number | null; arm: string };
  /** the repeated-measures analyses run on each replicate, when any */
  analyses?: {
    methods: RepeatedMethod[];
    labels: string[];
    /** the primary endpoint's estimands whose true values bias and coverage are measured against */
    estimands: string[];
    imputations: number;
    /** twins of each replicate the true values come from; null for all (JSON has no Infinity) */
    truthTwins: number | null;
  };
  nullScenario: boolean;
  seconds: number;
}

export interface PowerProgress {
  n: number;
  done: number;
  total: number;
  sizes: SizePower[];
}

/** A power study the protocol and options cannot make (too few arms, a size too small). */
export class PowerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PowerInputError';
  }
}

/** Wilson score interval for k successes of m (Wilson 1927). */
export function wilson(k: number, m: number, level = 0.95): [number, number] {
  if (m === 0) return [0, 1];
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / m;
  const d = 1 + (z * z) / m;
  const centre = (p + (z * z) / (2 * m)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / m + (z * z) / (4 * m * m))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export async function runPower(options: PowerOptions): Promise<PowerResult> {
  const started = performance.now();
  const { pool, protocol, db, onProgress, signal } = options;
  const alpha = options.alpha ?? 0.05;
  const plan = compileProtocol(protocol);
  if (plan.arms.length < 2)
    throw new PowerInputError(`power needs at least two arms; the protocol has ${plan.arms.length}`);
  const control = Math.max(
    0,
    plan.arms.findIndex((a) => a.placebo)
  );
  const active = plan.arms.map((a, i) => ({ name: a.name, index: i })).filter((a) => a.index !== control);
  const method = primaryMethodFor(plan.endpoints[plan.primary].spec.type);
  const request = analysisRequest(plan, options);
  const simulated = options.nullScenario ? nullScenario(protocol, control) : protocol;
  const estimandNames = request ? request.estimands.map((s) => plan.estimands[s].strategy as string) : [];
  const labels = request ? request.methods.map((m) => repeatedMethodLabel(m, request.imputations)) : [];
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  for (const n of sizes)
    if (!(Number.isInteger(n) && n >= 2 * plan.arms.length)) {
      throw new PowerInputError(
        `--n: ${n} is too small for ${plan.arms.length} arms (at least ${2 * plan.arms.length})`
      );
    }
  if (options.part && (options.precision !== undefined || options.targetPower !== undefined))
    throw new PowerInputError(
      `${options.precision !== undefined ? '--precision' : '--target-power'} decides on every replicate; it cannot be split into shards`
    );
  const part = options.part ?? { first: 0, count: options.replicates };
  // Replicates per task: 25, or fewer when that gives each worker about four tasks, so a
  // short study does not wait on one worker's long last task (40 replicates on 2 workers
  // were 25 and 15). A precision target decides after each wave of tasks: its waves stay 25.
  const batch =
    options.batch ??
    (options.precision !== undefined
      ? 25
      : Math.min(25, Math.max(1, Math.ceil(part.count / (4 * Math.max(1, pool.size))))));
  if (signal?.aborted) throw new CancelledError();
  const powerId = db
    ? await beginPower(db, {
        name: protocol.name,
        protocol: simulated,
        seed: protocol.seed,
        sizes,
        alpha,
        delta: options.delta,
        arms: active.map((a) => a.name),
        method
      })
    : undefined;
  const results: SizePower[] = [];
  const succeeds = (estimate: number, significant: boolean) =>
    significant &&
    (options.delta === undefined ||
      (options.delta < 0 ? estimate <= options.delta : estimate >= options.delta));

  const evaluate = async (n: number): Promise<SizePower> => {
    const k = active.map(() => ({ significant: 0, success: 0 }));
    // Estimates by (replicate, arm): averaged in replicate order, so the mean does not
    // depend on the order in which workers finish.
    const estimates = new Float64Array(part.count * active.length).fill(NaN);
    const perAnalyses = request ? request.methods.length * active.length * ANALYSIS_FIELDS : 0;
    const perTruth = request ? request.estimands.length * active.length : 0;
    const analyses = new Float64Array(part.count * perAnalyses);
    const truth = new Float64Array(part.count * perTruth);
    const end = part.first + part.count;
    let done = 0;
    const waveSize = batch * Math.max(1, pool.size);
    while (done < part.count) {
      const tasks: [number, number][] = [];
      const from = part.first + done;
      for (let r = from; r < Math.min(end, from + waveSize); r += batch) {
        tasks.push([r, Math.min(batch, end - r)]);
      }
      await pool.map(
        tasks,
        (api, [first, count]) => Promise.resolve(api.powerReplicates(n, first, count, control, request)),
        {
          // The protocol at this size (calibrated patients are resampled when n is not their number).
          init: (api) => api.prepareTrial(resolveRunProtocol({ protocol: simulated, n })),
          signal,
          onResult: async (block: PowerReplicates, [first, count]) => {
            const values = block.primary;
            const m = count * active.length;
            const rows = {
              n,
              replicate: new Int32Array(m),
              arm: new Array<string>(m),
              estimate: new Float64Array(m),
              ciLow: new Float64Array(m),
              ciHigh: new Float64Array(m),
              pValue: new Float64Array(m),
              pAdjusted: new Float64Array(m),
              significant: new Array<boolean>(m),
              success: new Array<boolean>(m)
            };
            for (let i = 0; i < m; i++) {
              const a = i % active.length;
              const [est, lo, hi, p, pAdj] = values.subarray(i * 5, i * 5 + 5);
              const significant = pAdj < alpha;
              rows.replicate[i] = first + Math.floor(i / active.length);
              rows.arm[i] = active[a].name;
              rows.estimate[i] = est;
              rows.ciLow[i] = lo;
              rows.ciHigh[i] = hi;
              rows.pValue[i] = p;
              rows.pAdjusted[i] = pAdj;
              rows.significant[i] = significant;
              rows.success[i] = succeeds(est, significant);
              if (significant) k[a].significant++;
              if (rows.success[i]) k[a].success++;
              estimates[(rows.replicate[i] - part.first) * active.length + a] = est;
            }
            if (request) {
              analyses.set(block.analyses, (first - part.first) * perAnalyses);
              truth.set(block.truth, (first - part.first) * perTruth);
            }
            if (db && powerId !== undefined) {
              await insertReplicates(db, powerId, rows);
              if (request)
                await insertAnalysisReplicates(db, powerId, {
                  n,
                  first,
                  count,
                  analyses: request.methods,
                  estimands: estimandNames,
                  arms: active.map((a) => a.name),
                  values: block.analyses,
                  truth: block.truth
                });
            }
            done += count;
            onProgress?.({ n, done, total: part.count, sizes: [...results, summary(n, done)] });
          }
        }
      );
      if (options.precision !== undefined) {
        const halfWidths = k.map((x) => {
          const [lo, hi] = wilson(x.significant, done);
          return (hi - lo) / 2;
        });
        if (Math.max(...halfWidths) < options.precision) break;
      }
    }
    const result = summary(n, done);
    if (request)
      result.operating = operatingCharacteristics({
        n,
        replicates: done,
        methods: request.methods,
        labels,
        arms: active.map((a) => a.name),
        estimands: estimandNames,
        analyses: analyses.subarray(0, done * perAnalyses),
        truth: truth.subarray(0, done * perTruth),
        alpha,
        nullScenario: options.nullScenario === true
      });
    return result;

    function summary(size: number, m: number): SizePower {
      return sizePower(
        size,
        m,
        active.map((a) => a.name),
        k,
        estimates
      );
    }
  };

  try {
    for (const n of sizes) results.push(await evaluate(n));
    let sampleSize: PowerResult['sampleSize'];
    if (options.targetPower !== undefined) {
      // The arm with the largest power decides; search between the sizes bracketing it.
      const best = (s: SizePower) => Math.max(...s.arms.map((a) => a.power));
      const bestArm = results[results.length - 1].arms.reduce((a, b) => (b.power > a.power ? b : a)).arm;
      const above = results.find((s) => best(s) >= options.targetPower!);
      let n: number | null = null;
      if (above) {
        const below = [...results].reverse().find((s) => s.n < above.n && best(s) < options.targetPower!);
        let lo = below ? below.n : Math.max(2 * plan.arms.length, 2);
        let hi = above.n;
        while (hi - lo > Math.max(2, Math.round(hi * 0.02))) {
          const mid = Math.round((lo + hi) / 2);
          const s = await evaluate(mid);
          results.push(s);
          if (best(s) >= options.targetPower) hi = mid;
          else lo = mid;
        }
        n = hi;
      }
      results.sort((a, b) => a.n - b.n);
      sampleSize = { target: options.targetPower, n, arm: bestArm };
    }
    const result: PowerResult = {
      powerId,
      method,
      control: plan.arms[control].name,
      sizes: results,
      sampleSize,
      analyses: request
        ? {
            methods: request.methods,
            labels,
            estimands: estimandNames,
            imputations: request.imputations,
            truthTwins: Number.isFinite(request.truthTwins) ? request.truthTwins : null
          }
        : undefined,
      nullScenario: options.nullScenario === true,
      seconds: (performance.now() - started) / 1000
    };
    if (db && powerId !== undefined) await completePower(db, powerId, result, result.seconds);
    return result;
  } catch (e) {
    if (!db || powerId === undefined) throw e;
    const { status, error, thrown } = endedBy(e, signal);
    return cleanUpAndThrow(thrown, () => abandonPower(db, powerId, status, error));
  }
}

/**
 * A size's power per active arm from its first m replicates: the share significant with its
 * Wilson CI, the share meeting the success criterion, and the mean of the finite estimates,
 * added in replicate order (estimates by replicate, then arm), so it does not depend on the
 * order in which workers finish, nor on the shards a study was split into.
 */
export function sizePower(
  n: number,
  m: number,
  arms: readonly string[],
  counts: readonly { significant: number; success: number }[],
  estimates: Float64Array
): SizePower {
  return {
    n,
    replicates: m,
    arms: arms.map((arm, i) => {
      const [lo, hi] = wilson(counts[i].significant, m);
      let sum = 0;
      let count = 0;
      for (let r = 0; r < m; r++) {
        const e = estimates[r * arms.length + i];
        if (Number.isFinite(e)) {
          sum += e;
          count++;
        }
      }
      return {
        arm,
        power: m ? counts[i].significant / m : 0,
        ciLow: lo,
        ciHigh: hi,
        probabilityOfSuccess: m ? counts[i].success / m : 0,
        meanEstimate: count ? sum / count : NaN
      };
    })
  };
}

/**
 * What each replicate analyses besides its primary analysis: the repeated-measures analyses of
 * the primary endpoint (options.analyses, or DEFAULT_ANALYSES when it declares estimands) and
 * the true effects of its estimands but the composite (a proportion, which no mean-difference
 * analysis estimates); undefined when there is nothing to add.
 */
function analysisRequest(plan: TrialPlan, options: PowerOptions): ReplicateAnalysisRequest | undefined {
  const primary = plan.endpoints[plan.primary];
  const estimands = plan.estimands
    .map((e, i) => ({ ...e, i }))
    .filter((e) => e.endpoint === plan.primary && e.strategy !== 'composite')
    .map((e) => e.i);
  const methods = options.analyses ?? (estimands.length ? [...DEFAULT_ANALYSES] : undefined);
  if (!methods || !methods.length) return undefined;
  if (primary.spec.type !== 'continuous')
    throw new PowerInputError(
      `repeated-measures analyses need a continuous primary endpoint; ${primary.name} is ${primary.spec.type}`
    );
  if (plan.protocol.design === 'crossover')
    throw new PowerInputError('repeated-measures analyses need a parallel design, not a crossover');
  if (plan.times[primary.obsIndex] <= plan.times[plan.visitIndex[0]])
    throw new PowerInputError(
      `the primary endpoint ${primary.name} is at the first visit: there are no visits after baseline to analyse`
    );
  const carried = methods.filter((m) => m === 'locf' || m === 'bocf');
  if (carried.length && primary.spec.measure === 'percent_change')
    throw new PowerInputError(
      `${carried.join(' and ')} carry the baseline forward on the outcome's scale, which a percent change (${primary.name}) does not share`
    );
  if (methods.includes('tipping_point'))
    throw new PowerInputError(
      'tipping_point is a sensitivity analysis of one dataset, not an estimate to repeat'
    );
  const imputations = options.imputations ?? 20;
  const truthTwins = options.truthTwins ?? DEFAULT_TRUTH_TWINS;
  if (!(truthTwins >= 1) || (truthTwins !== Infinity && !Number.isInteger(truthTwins)))
    throw new PowerInputError(`truth twins must be a whole number of at least 1 or all; got ${truthTwins}`);
  return { methods, imputations, estimands, truthTwins };
}
