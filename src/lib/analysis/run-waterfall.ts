import { rowsOf, sqlString, type Connector } from '../db/connector';

/** One twin's value of a change endpoint, its rank in its arm (1 = largest). */
export interface WaterfallBar {
  arm: string;
  twin: number;
  value: number;
  rank: number;
}

/**
 * Per-twin values of a change endpoint for a waterfall plot: in replicate 0, up to `perArm`
 * twins per arm with a value, in the arm each is assigned to, sampled by Knuth's
 * multiplicative hash of the twin id (as the spaghetti sample) and ranked from the largest
 * value (growth, left) to the smallest (shrinkage, right), as oncology reports draw them.
 */
export async function runWaterfall(
  db: Connector,
  runId: number,
  endpoint: string,
  perArm: number
): Promise<WaterfallBar[]> {
  const where = (t: string) => `${t}.run_id = ${runId} AND ${t}.replicate = 0`;
  return rowsOf<WaterfallBar>(
    await db.query(
      `WITH v AS (SELECT CAST(e.arm AS VARCHAR) AS arm, e.twin_id, e.value FROM endpoint e ` +
        `SEMI JOIN assignment a ON a.twin_id = e.twin_id AND a.arm = e.arm AND ${where('a')} ` +
        `WHERE ${where('e')} AND e.endpoint = ${sqlString(endpoint)} AND e.value IS NOT NULL ` +
        `QUALIFY row_number() OVER (PARTITION BY e.arm ORDER BY (e.twin_id::UBIGINT * 2654435761) % 4294967296, e.twin_id) <= ${perArm}) ` +
        `SELECT arm, twin_id::DOUBLE AS twin, value::DOUBLE AS value, ` +
        `row_number() OVER (PARTITION BY arm ORDER BY value DESC, twin_id)::DOUBLE AS rank FROM v ORDER BY arm, rank`
    )
  );
}
