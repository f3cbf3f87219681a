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
  // The data tables, joined on their codes: through the named views, duckdb-wasm planned
  // this semi-join so badly that 50,000 twins took 9 s (native DuckDB: 0.04 s).
  const name = (kind: string) =>
    `run_name n_${kind} ON n_${kind}.run_id = ${runId} AND n_${kind}.kind = '${kind}'`;
  return rowsOf<WaterfallBar>(
    await db.query(
      `WITH v AS (SELECT e.arm, e.twin_id, e.value FROM endpoint_data e ` +
        `JOIN ${name('endpoint')} AND n_endpoint.code = e.endpoint AND n_endpoint.name = ${sqlString(endpoint)} ` +
        `JOIN assignment_data a ON a.run_id = e.run_id AND a.replicate = e.replicate AND a.twin_id = e.twin_id AND a.arm = e.arm ` +
        `WHERE e.run_id = ${runId} AND e.replicate = 0 AND e.value IS NOT NULL AND NOT isnan(e.value) ` +
        `AND ${runId} IN (SELECT run_id FROM complete_run) ` +
        `QUALIFY row_number() OVER (PARTITION BY e.arm ORDER BY (e.twin_id::UBIGINT * 2654435761) % 4294967296, e.twin_id) <= ${perArm}) ` +
        `SELECT n_arm.name AS arm, twin_id::DOUBLE AS twin, value::DOUBLE AS value, ` +
        `row_number() OVER (PARTITION BY v.arm ORDER BY value DESC, twin_id)::DOUBLE AS rank ` +
        `FROM v JOIN ${name('arm')} AND n_arm.code = v.arm ORDER BY arm, rank`
    )
  );
}
