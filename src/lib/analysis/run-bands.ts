import { rowsOf, type Connector } from '../db/connector';
import type { RunRecord } from '../db/run-store';
import { binnedObservations } from './run-schedule';

/** One arm's observed values of one variable at one nominal time, summarised. */
export interface RunBand {
  variable: string;
  arm: string;
  /** Nominal time (h). */
  time: number;
  /** Observations at this time (all replicates). */
  n: number;
  mean: number;
  p05: number;
  p50: number;
  p95: number;
}

/**
 * The 5th, 50th and 95th percentiles (and mean and n) of each observed variable per arm at
 * each nominal time, pooled over replicates, for visual-predictive-check style bands.
 * Aggregated in DuckDB (`quantile_cont`, linear interpolation as R's quantile type 7), so a
 * run of any size returns one row per arm × variable × time.
 */
export async function runBands(db: Connector, run: RunRecord): Promise<RunBand[]> {
  return rowsOf<RunBand>(
    await db.query(
      `SELECT CAST(variable AS VARCHAR) AS variable, CAST(arm AS VARCHAR) AS arm, time_h::DOUBLE AS time, ` +
        `count(*)::DOUBLE AS n, avg(value)::DOUBLE AS mean, ` +
        `quantile_cont(value, 0.05)::DOUBLE AS p05, quantile_cont(value, 0.5)::DOUBLE AS p50, ` +
        `quantile_cont(value, 0.95)::DOUBLE AS p95 ` +
        `FROM (${binnedObservations(run)}) WHERE value IS NOT NULL ` +
        `GROUP BY variable, arm, time_h ORDER BY variable, arm, time_h`
    )
  );
}
