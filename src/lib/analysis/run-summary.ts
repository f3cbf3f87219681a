import { rowsOf, sqlString, type Connector } from '../db/connector';

/** The result tables of a run, as users query them (complete runs only). */
export const RUN_RESULT_VIEWS = ['assignment', 'observation', 'event', 'endpoint'] as const;

/** How many rows a complete run has in each result view. */
export async function runRowCounts(db: Connector, runId: number): Promise<{ table: string; rows: number }[]> {
  return rowsOf<{ table: string; rows: number }>(
    await db.query(
      RUN_RESULT_VIEWS.map(
        (t) => `SELECT '${t}' AS "table", count(*)::DOUBLE AS rows FROM ${t} WHERE run_id = ${runId}`
      ).join(' UNION ALL ')
    )
  );
}

export interface EndpointSummary {
  endpoint: string;
  arm: string;
  n: number;
  missing: number;
  /** Time-to-event rows censored (0 for other endpoints). */
  censored: number;
  mean: number | null;
  sd: number | null;
}

/** Each endpoint's n, missing values, censored times, mean and SD by arm in replicate 0, arms in protocol order. */
export async function endpointSummary(
  db: Connector,
  runId: number,
  arms: readonly string[]
): Promise<EndpointSummary[]> {
  const armList = `[${arms.map(sqlString).join(', ')}]`;
  return rowsOf<EndpointSummary>(
    await db.query(
      `SELECT endpoint, arm, count(*)::DOUBLE AS n, (count(*) - count(value))::DOUBLE AS missing, ` +
        `count(*) FILTER (WHERE censored = 1)::DOUBLE AS censored, avg(value)::DOUBLE AS mean, ` +
        `stddev_samp(value)::DOUBLE AS sd FROM endpoint WHERE run_id = ${runId} AND replicate = 0 GROUP BY endpoint, arm ` +
        `ORDER BY list_position(${armList}, arm), endpoint`
    )
  );
}
