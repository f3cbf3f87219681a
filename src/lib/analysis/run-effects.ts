import { sqlString, type Connector } from '../db/connector';
import type { HistogramBins } from '../plots/histogram';
import { histogramBins } from './histogram-bins';

/**
 * The distribution of per-twin treatment effects of a counterfactual run (every twin under
 * every arm): for each arm but the control, each twin's endpoint value in the arm minus its
 * value under the control, in replicate 0, binned in SQL.
 */
export async function runEffectHistograms(
  db: Connector,
  runId: number,
  endpoint: string,
  control: string,
  arms: readonly string[]
): Promise<{ arm: string; bins: HistogramBins }[]> {
  const rows = (arm: string) =>
    `SELECT e.twin_id, e.value AS v FROM endpoint e WHERE e.run_id = ${runId} AND e.replicate = 0 ` +
    `AND e.endpoint = ${sqlString(endpoint)} AND CAST(e.arm AS VARCHAR) = ${sqlString(arm)}`;
  const out: { arm: string; bins: HistogramBins }[] = [];
  for (const arm of arms.filter((a) => a !== control)) {
    const relation = `SELECT t.v - c.v AS effect FROM (${rows(arm)}) t JOIN (${rows(control)}) c USING (twin_id)`;
    out.push({ arm, bins: await histogramBins(db, relation, 'effect') });
  }
  return out;
}
