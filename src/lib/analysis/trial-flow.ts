import { rowsOf, scalar, sqlString, type Connector } from '../db/connector';

/** One arm's trial flow (a CONSORT diagram's counts) in one replicate. */
export interface TrialFlowRow {
  arm: string;
  /** Twins with records in the arm (every twin in every arm of a counterfactual design). */
  randomised: number;
  /** Twins who discontinued treatment while followed, and by reason. */
  discontinued: number;
  discontinuedBy: Record<string, number>;
  rescued: number;
  lostToFollowUp: number;
  droppedOut: number;
  /** Twins whose terminal event (death) ended their follow-up. */
  died: number;
  /** Twins followed to the end of the study: no dropout, loss to follow-up or death. */
  completed: number;
}

/**
 * The trial flow of a complete run's replicate, per arm in protocol order: randomised,
 * discontinued (by reason), rescued, lost to follow-up, dropped out, died and completed,
 * counted from its event rows.
 */
export async function trialFlow(db: Connector, runId: number, replicate = 0): Promise<TrialFlowRow[]> {
  const run = `run_id = ${runId} AND replicate = ${replicate}`;
  const armsJson = await scalar<string | null>(db, `SELECT arms FROM run WHERE run_id = ${runId}`);
  const protocol = await scalar<string | null>(db, `SELECT protocol FROM run WHERE run_id = ${runId}`);
  if (armsJson === null || protocol === null) throw new Error(`there is no run ${runId}`);
  const arms = JSON.parse(armsJson) as string[];
  const endpoints = (
    JSON.parse(protocol) as { endpoints: { name: string; type: string; terminal?: boolean }[] }
  ).endpoints;
  const terminal = endpoints.filter((e) => e.type === 'tte' && e.terminal).map((e) => sqlString(e.name));
  const died = terminal.length
    ? `count(DISTINCT twin_id) FILTER (WHERE kind = 'endpoint_event' AND endpoint IN (${terminal.join(', ')}))`
    : '0';
  const ended = `kind IN ('dropout', 'lost_to_follow_up')${terminal.length ? ` OR (kind = 'endpoint_event' AND endpoint IN (${terminal.join(', ')}))` : ''}`;
  const counts = rowsOf<Omit<TrialFlowRow, 'discontinuedBy' | 'completed'> & { ended: number }>(
    await db.query(
      `WITH r AS (SELECT arm, count(DISTINCT twin_id)::DOUBLE AS randomised FROM endpoint WHERE ${run} GROUP BY arm),
       e AS (SELECT arm,
         count(DISTINCT twin_id) FILTER (WHERE kind = 'discontinuation')::DOUBLE AS discontinued,
         count(DISTINCT twin_id) FILTER (WHERE kind = 'rescue')::DOUBLE AS rescued,
         count(DISTINCT twin_id) FILTER (WHERE kind = 'lost_to_follow_up')::DOUBLE AS lostToFollowUp,
         count(DISTINCT twin_id) FILTER (WHERE kind = 'dropout')::DOUBLE AS droppedOut,
         (${died})::DOUBLE AS died,
         count(DISTINCT twin_id) FILTER (WHERE ${ended})::DOUBLE AS ended
         FROM event WHERE ${run} GROUP BY arm)
       SELECT r.arm, r.randomised, coalesce(discontinued, 0) AS discontinued, coalesce(rescued, 0) AS rescued,
         coalesce(lostToFollowUp, 0) AS "lostToFollowUp", coalesce(droppedOut, 0) AS "droppedOut",
         coalesce(died, 0) AS died, coalesce(ended, 0) AS ended
       FROM r LEFT JOIN e USING (arm)`
    )
  );
  const reasons = rowsOf<{ arm: string; reason: string; n: number }>(
    await db.query(
      `SELECT arm, endpoint AS reason, count(DISTINCT twin_id)::DOUBLE AS n FROM event
       WHERE ${run} AND kind = 'discontinuation' GROUP BY arm, endpoint ORDER BY arm, endpoint`
    )
  );
  return arms.flatMap((arm) => {
    const c = counts.find((r) => r.arm === arm);
    if (!c) return [];
    const discontinuedBy: Record<string, number> = {};
    for (const r of reasons) if (r.arm === arm) discontinuedBy[r.reason] = r.n;
    const { ended, ...rest } = c;
    return [{ ...rest, discontinuedBy, completed: c.randomised - ended }];
  });
}
