import { rowsOf, sqlString, type Connector } from '../db/connector';

/**
 * The observed arm of each twin: a counterfactual run stores every twin under every arm, and
 * randomisation is a view over them (the `assignment` rows say which arm each twin is
 * observed in). One home for the SQL that the comparison and the run's plots share.
 */

/** A SELECT of (twin_id, arm, value, censored) of one endpoint in the rows `where` picks (a run's replicate). */
export function endpointValuesSql(where: string, endpoint: string): string {
  return (
    `SELECT twin_id, CAST(arm AS VARCHAR) AS arm, value, censored FROM endpoint ` +
    `WHERE ${where} AND endpoint = ${sqlString(endpoint)}`
  );
}

/** Whether any twin has values under several arms in `values` (a counterfactual run). */
export async function hasTwinsInSeveralArms(db: Connector, values: string): Promise<boolean> {
  const k = rowsOf<{ k: number }>(
    await db.query(
      `SELECT count(*)::DOUBLE AS k FROM (SELECT twin_id FROM (${values}) GROUP BY twin_id HAVING count(DISTINCT arm) > 1)`
    )
  )[0].k;
  return k > 0;
}

/** `values` (as `e`) reduced to the rows of each twin's assigned arm in the rows `where` picks. */
export function observedArmSql(values: string, where: string): string {
  const assigned = `SELECT twin_id, CAST(arm AS VARCHAR) AS arm FROM assignment WHERE ${where}`;
  return `(${values}) AS e SEMI JOIN (${assigned}) AS a ON e.twin_id = a.twin_id AND e.arm = a.arm`;
}

export interface ArmValue {
  arm: string;
  value: number;
  /** 1 = censored (time-to-event) */
  censored: number;
}

/**
 * Each twin's value of one endpoint in the arm it is observed in: a counterfactual run
 * (twins under several arms) is reduced to its assigned arms, as the comparison is.
 * Missing values are left out.
 */
export async function observedValues(
  db: Connector,
  runId: number,
  replicate: number,
  endpoint: string
): Promise<ArmValue[]> {
  const where = `run_id = ${runId} AND replicate = ${replicate}`;
  const values = endpointValuesSql(where, endpoint);
  const observed = (await hasTwinsInSeveralArms(db, values))
    ? observedArmSql(values, where)
    : `(${values}) AS e`;
  return rowsOf<ArmValue>(
    await db.query(
      `SELECT e.arm, e.value::DOUBLE AS value, coalesce(e.censored, 0)::DOUBLE AS censored ` +
        `FROM ${observed} WHERE e.value IS NOT NULL ORDER BY e.twin_id`
    )
  );
}
