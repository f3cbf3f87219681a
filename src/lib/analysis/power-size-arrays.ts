import { ANALYSIS_FIELDS } from './replicate-analysis';
import type { Connector } from '../db/connector';

/** One size of a stored power study, laid out as `runPower` holds it while running. */
export interface PowerSizeArrays {
  /** per active arm: replicates significant, and meeting the success criterion */
  counts: { significant: number; success: number }[];
  /** replicate, arm: the primary analysis's estimate (NaN when not estimable) */
  estimates: Float64Array;
  /** replicate, analysis, arm: ANALYSIS_FIELDS each */
  analyses: Float64Array;
  /** replicate, estimand, arm: the true effect */
  truth: Float64Array;
}

/**
 * Reads one size of a power study's replicate rows (power_replicate, power_analysis,
 * power_truth) back into `runPower`'s arrays, so that a study merged from shards is
 * summarised by the very functions, over the very values, of a study run in one process.
 * Replicates are 0 … replicates − 1; NULL (NaN when stored) comes back as NaN.
 */
export async function powerSizeArrays(
  db: Connector,
  powerId: number,
  n: number,
  layout: {
    replicates: number;
    arms: readonly string[];
    analyses: readonly string[];
    estimands: readonly string[];
  }
): Promise<PowerSizeArrays> {
  const A = layout.arms.length;
  const M = layout.analyses.length;
  const E = layout.estimands.length;
  const R = layout.replicates;
  const arm = new Map(layout.arms.map((a, i) => [a, i]));
  const where = `power_id = ${powerId} AND n = ${n}`;
  const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));

  const counts = layout.arms.map(() => ({ significant: 0, success: 0 }));
  const estimates = new Float64Array(R * A).fill(NaN);
  const primary = await db.query(
    `SELECT replicate, arm, estimate, significant, success FROM power_replicate WHERE ${where}`
  );
  for (const row of primary) {
    const a = arm.get(row.arm)!;
    estimates[row.replicate * A + a] = num(row.estimate);
    if (row.significant) counts[a].significant++;
    if (row.success) counts[a].success++;
  }

  const analyses = new Float64Array(R * M * A * ANALYSIS_FIELDS).fill(NaN);
  if (M) {
    const method = new Map(layout.analyses.map((m, i) => [m, i]));
    const rows = await db.query(
      `SELECT replicate, analysis, arm, estimate, std_err, df, ci_low, ci_high, p_value FROM power_analysis WHERE ${where}`
    );
    for (const row of rows) {
      const at = ((row.replicate * M + method.get(row.analysis)!) * A + arm.get(row.arm)!) * ANALYSIS_FIELDS;
      [row.estimate, row.std_err, row.df, row.ci_low, row.ci_high, row.p_value].forEach(
        (v, f) => (analyses[at + f] = num(v))
      );
    }
  }

  const truth = new Float64Array(R * E * A).fill(NaN);
  if (E) {
    const estimand = new Map(layout.estimands.map((e, i) => [e, i]));
    const rows = await db.query(
      `SELECT replicate, estimand, arm, true_effect FROM power_truth WHERE ${where}`
    );
    for (const row of rows) {
      truth[(row.replicate * E + estimand.get(row.estimand)!) * A + arm.get(row.arm)!] = num(row.true_effect);
    }
  }
  return { counts, estimates, analyses, truth };
}
