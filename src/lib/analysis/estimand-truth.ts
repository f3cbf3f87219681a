import { rowsOf, type Connector } from '../db/connector';

/** An estimand's true value in an arm, and its true effect against the control arm. */
export interface EstimandTruthSummary {
  endpoint: string;
  estimand: string;
  arm: string;
  /** The mean over twins (a proportion for a responder or composite estimand). */
  value: number;
  /** value − the control's value: the mean of the per-twin differences, since every
   * twin has a value under every arm. 0 for the control. */
  effect: number;
  /** Twins over which the value is a mean (summed over the replicates pooled). */
  n: number;
}

/**
 * A complete run's true estimand values (`estimand_truth`), per endpoint, estimand and
 * arm, against the control: the protocol's first arm. For one replicate, or pooled over
 * every replicate (each replicate's value weighted by its twins). Ordered by endpoint,
 * estimand and arm as the protocol lists them.
 */
export async function estimandTruth(
  db: Connector,
  runId: number,
  replicate?: number
): Promise<EstimandTruthSummary[]> {
  const which = replicate === undefined ? '' : ` AND replicate = ${replicate}`;
  return rowsOf<EstimandTruthSummary>(
    await db.query(
      `WITH t AS (
         SELECT endpoint, estimand, arm, (CASE WHEN count(*) = 1 THEN first(value) ELSE sum(value * n) / sum(n) END)::DOUBLE AS value, sum(n)::DOUBLE AS n,
                min(rowid) AS position
         FROM estimand_truth WHERE run_id = ${runId}${which} AND run_id IN (SELECT run_id FROM complete_run)
         GROUP BY endpoint, estimand, arm),
       c AS (SELECT t.* FROM t JOIN run_name a ON a.run_id = ${runId} AND a.kind = 'arm' AND a.code = 0 AND a.name = t.arm)
       SELECT t.endpoint, t.estimand, t.arm, t.value, (t.value - c.value)::DOUBLE AS effect, t.n
       FROM t JOIN c USING (endpoint, estimand) ORDER BY t.position`
    )
  );
}
