import { chiSquareTest, coxPh, logRankTest, pAdjust, riskDifference, welchTTest } from '../stats';
import { StatsInputError } from '../stats/errors';
import type { TrialChunk, TrialPlan } from '../engine/trial';
import { repeatedAnalysis, type RepeatedMethod } from './repeated-analysis';
import { replicateRepeatedMeasures } from './replicate-repeated-measures';

/**
 * The primary analysis of one simulated trial, run inside a worker for power by
 * replicate trials: each active arm against the control arm on the primary endpoint,
 * with Holm-adjusted p-values across arms.
 *  - continuous (and PK): Welch two-sample t (estimate = arm − control);
 *  - responder: Pearson χ² without continuity correction for the p-value, risk
 *    difference with Newcombe's hybrid score interval for the estimate;
 *  - time to event: log-rank p-value, hazard ratio (Cox, Efron ties) as the estimate.
 * Missing values (dropouts) are excluded. A comparison that cannot be computed (an arm
 * with fewer than 2 values, no events at all) counts as not significant (p = 1).
 */
export type PrimaryMethod = 'welch_t' | 'chi_square' | 'log_rank';

export interface ArmResult {
  estimate: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
  pAdjusted: number;
}

export function primaryMethodFor(type: string): PrimaryMethod {
  return type === 'responder' ? 'chi_square' : type === 'tte' ? 'log_rank' : 'welch_t';
}

export function analyzeReplicate(
  chunk: TrialChunk,
  endpoint: number,
  type: string,
  nArms: number,
  control: number
): ArmResult[] {
  const e = chunk.endpoint;
  const values: number[][] = Array.from({ length: nArms }, () => []);
  const censored: number[][] = Array.from({ length: nArms }, () => []);
  for (let i = 0; i < e.twin.length; i++) {
    if (e.endpoint[i] !== endpoint || Number.isNaN(e.value[i])) continue;
    values[e.arm[i]].push(e.value[i]);
    censored[e.arm[i]].push(e.censored[i]);
  }
  const method = primaryMethodFor(type);
  const results: ArmResult[] = [];
  for (let a = 0; a < nArms; a++) {
    if (a === control) continue;
    results.push(compare(method, values[a], censored[a], values[control], censored[control]));
  }
  const adjusted = pAdjust(
    results.map((r) => r.pValue),
    'holm'
  );
  results.forEach((r, i) => (r.pAdjusted = adjusted[i]));
  return results;
}

const NOT_ESTIMABLE: ArmResult = { estimate: NaN, ciLow: NaN, ciHigh: NaN, pValue: 1, pAdjusted: 1 };

function compare(
  method: PrimaryMethod,
  arm: number[],
  armCens: number[],
  ctl: number[],
  ctlCens: number[]
): ArmResult {
  try {
    if (method === 'welch_t') {
      const t = welchTTest(arm, ctl);
      return {
        estimate: t.estimate,
        ciLow: t.ciLower,
        ciHigh: t.ciUpper,
        pValue: t.pValue,
        pAdjusted: t.pValue
      };
    }
    if (method === 'chi_square') {
      const ea = arm.reduce((s, v) => s + v, 0);
      const ec = ctl.reduce((s, v) => s + v, 0);
      const rd = riskDifference({ events: ea, n: arm.length }, { events: ec, n: ctl.length });
      const chi = chiSquareTest(
        [
          [ea, arm.length - ea],
          [ec, ctl.length - ec]
        ],
        { correct: false }
      );
      return {
        estimate: rd.estimate,
        ciLow: rd.newcombeLower,
        ciHigh: rd.newcombeUpper,
        pValue: chi.pValue,
        pAdjusted: chi.pValue
      };
    }
    const time = [...arm, ...ctl];
    const status = [...armCens.map((c) => 1 - c), ...ctlCens.map((c) => 1 - c)];
    const group = [...arm.map(() => 1), ...ctl.map(() => 0)];
    const lr = logRankTest(time, status, group);
    const cox = coxPh({ time, status, covariates: [group] }).coefficients[0];
    return {
      estimate: cox.hazardRatio,
      ciLow: cox.hrLower,
      ciHigh: cox.hrUpper,
      pValue: lr.pValue,
      pAdjusted: lr.pValue
    };
  } catch (e) {
    if (e instanceof StatsInputError) return { ...NOT_ESTIMABLE };
    throw e;
  }
}

/**
 * What each replicate of a power study analyses besides its primary analysis: the
 * repeated-measures analyses of the primary endpoint (analysis/repeated-analysis, the same
 * function `twinbench analyze --type repeated` runs) and the true effects of its estimands
 * (indices into plan.estimands).
 */
export interface ReplicateAnalysisRequest {
  methods: RepeatedMethod[];
  imputations: number;
  estimands: number[];
  /**
   * The twins of each replicate (by id, from 1) simulated under every arm for the true
   * effects; Infinity for all of them.
   */
  truthTwins: number;
}

/** Numbers per replicate, analysis and active arm: estimate, SE, df, CI low, CI high, p. */
export const ANALYSIS_FIELDS = 6;

/**
 * Writes one replicate's repeated-measures analyses into `out` from `offset`, analysis-major
 * then active arm (ANALYSIS_FIELDS each; NaN where a value could not be computed, e.g. a visit
 * with no value in an arm). `seed` keys the replicate's imputations.
 */
export function analyzeReplicateRepeated(
  chunk: TrialChunk,
  plan: TrialPlan,
  control: number,
  request: ReplicateAnalysisRequest,
  seed: number,
  out: Float64Array,
  offset: number
): void {
  const size = request.methods.length * (plan.arms.length - 1) * ANALYSIS_FIELDS;
  out.fill(NaN, offset, offset + size);
  const data = replicateRepeatedMeasures(chunk, plan, plan.primary);
  const names = plan.arms.map((a) => a.name);
  let result;
  try {
    result = repeatedAnalysis(data.input, {
      control: names[control],
      armLevels: names,
      visitLevels: data.visits,
      at: data.at,
      methods: request.methods,
      imputations: request.imputations,
      seed
    });
  } catch (e) {
    if (e instanceof StatsInputError) return;
    throw e;
  }
  let k = offset;
  for (const m of request.methods) {
    for (const e of result.analyses[m]!.effects) {
      for (const x of [e.estimate, e.stdErr, e.df, e.ciLow, e.ciHigh, e.pValue]) out[k++] = x ?? NaN;
    }
  }
}
