import { quantileSorted } from '../stats/quantile';
import { ANALYSIS_FIELDS } from './replicate-analysis';
import type { RepeatedMethod } from './repeated-analysis';

/**
 * How each analysis performs over replicate trials against the true value of each estimand
 * (Morris, White & Crowther 2019, Stat Med 38:2074, "Using simulation studies to evaluate
 * statistical methods", Table 6): the mean estimate; the true value, the mean over replicates
 * of each replicate's true effect (the mean per-twin difference of its twins, or of those
 * simulated for the truth, known exactly); bias = mean estimate − true value with its Monte
 * Carlo SE, √(empirical SE²/k + the true value's own Monte Carlo variance); the empirical SE
 * (SD of the estimates) beside the mean model SE; coverage, the share of CIs holding the true
 * value; and the rejection rate at alpha (two-sided p < alpha per arm, unadjusted): power, or
 * the type I error under a null scenario. A replicate whose analysis could not be computed
 * counts in `replicates` but not in `estimable`, and as not rejecting.
 */
export interface OperatingCharacteristic {
  n: number;
  analysis: RepeatedMethod;
  label: string;
  arm: string;
  /** the estimand whose true value bias and coverage are measured against; null when none is known */
  estimand: string | null;
  replicates: number;
  /** replicates with an estimate */
  estimable: number;
  meanEstimate: number | null;
  trueValue: number | null;
  bias: number | null;
  /** Monte Carlo SE of the bias */
  biasMcse: number | null;
  empiricalSe: number | null;
  meanModelSe: number | null;
  coverage: number | null;
  /** share of replicates with p < alpha */
  rejectionRate: number;
  /** the estimates' distribution (R quantile type 7): 2.5 %, 25 %, 50 %, 75 %, 97.5 %; null when none */
  quantiles: [number, number, number, number, number] | null;
}

const QUANTILES = [0.025, 0.25, 0.5, 0.75, 0.975] as const;

export interface OperatingInput {
  n: number;
  replicates: number;
  methods: readonly RepeatedMethod[];
  labels: readonly string[];
  /** active arms, in the order of the blocks */
  arms: readonly string[];
  /** estimand names of `truth`'s blocks */
  estimands: readonly string[];
  /** replicate, analysis, arm: ANALYSIS_FIELDS each (estimate, SE, df, CI low, CI high, p) */
  analyses: Float64Array;
  /** replicate, estimand, arm: the replicate's true effect */
  truth: Float64Array;
  alpha: number;
  /** every arm had the control's regimen: the true effect is 0 whatever the estimand */
  nullScenario: boolean;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The operating characteristics of every analysis, arm and estimand; see the file comment. */
export function operatingCharacteristics(x: OperatingInput): OperatingCharacteristic[] {
  const A = x.arms.length;
  const M = x.methods.length;
  const E = x.estimands.length;
  const rows: OperatingCharacteristic[] = [];
  // Each estimand and arm: the mean of the replicates' true effects, and its Monte Carlo
  // variance (their variance over their number), which the bias's SE adds to the estimates'.
  const trueValues = x.estimands.map((_, e) =>
    x.arms.map((_, a) => {
      let sum = 0;
      let k = 0;
      for (let r = 0; r < x.replicates; r++) {
        const t = x.truth[(r * E + e) * A + a];
        if (Number.isFinite(t)) {
          sum += t;
          k++;
        }
      }
      const mean = k ? sum / k : NaN;
      let ss = 0;
      for (let r = 0; r < x.replicates; r++) {
        const t = x.truth[(r * E + e) * A + a];
        if (Number.isFinite(t)) ss += (t - mean) ** 2;
      }
      return { mean, variance: k > 1 ? ss / (k - 1) / k : 0 };
    })
  );
  x.methods.forEach((analysis, m) => {
    x.arms.forEach((arm, a) => {
      const at = (r: number, f: number) => x.analyses[((r * M + m) * A + a) * ANALYSIS_FIELDS + f];
      let k = 0;
      let sum = 0;
      let sumSe = 0;
      let rejected = 0;
      for (let r = 0; r < x.replicates; r++) {
        const est = at(r, 0);
        if (at(r, 5) < x.alpha) rejected++;
        if (!Number.isFinite(est)) continue;
        k++;
        sum += est;
        sumSe += at(r, 1);
      }
      const mean = k ? sum / k : NaN;
      let ss = 0;
      for (let r = 0; r < x.replicates; r++) {
        const est = at(r, 0);
        if (Number.isFinite(est)) ss += (est - mean) ** 2;
      }
      const empiricalSe = k > 1 ? Math.sqrt(ss / (k - 1)) : NaN;
      const sorted = new Float64Array(k);
      for (let r = 0, i = 0; r < x.replicates; r++) if (Number.isFinite(at(r, 0))) sorted[i++] = at(r, 0);
      sorted.sort();
      const quantiles = k
        ? (QUANTILES.map((p) => quantileSorted(sorted, p)) as OperatingCharacteristic['quantiles'])
        : null;
      const targets: [string | null, number, number][] = E
        ? x.estimands.map((name, e) => [name, trueValues[e][a].mean, trueValues[e][a].variance])
        : [[null, x.nullScenario ? 0 : NaN, 0]];
      for (const [estimand, truth, truthVariance] of targets) {
        let covered = 0;
        for (let r = 0; r < x.replicates; r++) {
          if (Number.isFinite(at(r, 0)) && at(r, 3) <= truth && truth <= at(r, 4)) covered++;
        }
        const known = Number.isFinite(truth);
        rows.push({
          n: x.n,
          analysis,
          label: x.labels[m],
          arm,
          estimand,
          replicates: x.replicates,
          estimable: k,
          meanEstimate: finite(mean),
          trueValue: finite(truth),
          bias: known ? finite(mean - truth) : null,
          biasMcse: known ? finite(Math.sqrt((empiricalSe * empiricalSe) / k + truthVariance)) : null,
          empiricalSe: finite(empiricalSe),
          meanModelSe: finite(sumSe / k),
          coverage: known && k ? covered / k : null,
          rejectionRate: x.replicates ? rejected / x.replicates : 0,
          quantiles
        });
      }
    });
  });
  return rows;
}
