import { rowsOf, type Connector } from '../db/connector';

export interface SpaghettiPoint {
  variable: string;
  arm: string;
  twin: number;
  /** Hours. */
  time: number;
  value: number;
}

/**
 * The observed profiles of a sample of `perArm` twins per arm in replicate 0. The sample is
 * deterministic and spread over the whole cohort: twins are ordered by Knuth's multiplicative
 * hash of their id (id × 2654435761 mod 2³², TAOCP vol. 3 §6.4), the same in every engine,
 * rather than taking the first ids.
 */
export async function runSpaghetti(db: Connector, runId: number, perArm: number): Promise<SpaghettiPoint[]> {
  const where = (t: string) => `${t}.run_id = ${runId} AND ${t}.replicate = 0`;
  // Each twin in the arm it is assigned to (in a counterfactual run, the arm it is observed in).
  return rowsOf<SpaghettiPoint>(
    await db.query(
      `WITH picked AS (SELECT twin_id, arm FROM assignment a WHERE ${where('a')} ` +
        `QUALIFY row_number() OVER (PARTITION BY arm ORDER BY (twin_id::UBIGINT * 2654435761) % 4294967296, twin_id) <= ${perArm}) ` +
        `SELECT CAST(o.variable AS VARCHAR) AS variable, CAST(o.arm AS VARCHAR) AS arm, o.twin_id::DOUBLE AS twin, ` +
        `o.time_h::DOUBLE AS time, o.value::DOUBLE AS value FROM observation o ` +
        `SEMI JOIN picked p ON p.twin_id = o.twin_id AND p.arm = o.arm ` +
        `WHERE ${where('o')} AND o.value IS NOT NULL ORDER BY o.variable, o.arm, o.twin_id, o.time_h`
    )
  );
}
