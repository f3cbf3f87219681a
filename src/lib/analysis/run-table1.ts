import { scalar, type Connector } from '../db/connector';
import type { RunRecord } from '../db/run-store';
import type { ColumnInfo } from '../engine/cohort/plan';
import { table1, type Table1 } from './table1';

/**
 * "Table 1" of a run's cohort by arm (replicate 0): each twin's covariates joined to the arm
 * it is assigned to, summarised by `table1` with one column per arm. Null when the run's
 * cohort is gone.
 */
export async function runTable1(db: Connector, run: RunRecord): Promise<Table1 | null> {
  if (run.cohortId === null) return null;
  const json = await scalar<string | null>(
    db,
    `SELECT columns FROM cohort WHERE cohort_id = ${run.cohortId}`
  );
  if (!json) return null;
  const columns = (JSON.parse(json) as ColumnInfo[]).filter((c) => c.name !== 'arm');
  const relation =
    `SELECT t.*, CAST(a.arm AS VARCHAR) AS arm FROM twin t JOIN assignment a ON a.twin_id = t.twin_id ` +
    `WHERE t.cohort_id = ${run.cohortId} AND a.run_id = ${run.runId} AND a.replicate = 0`;
  const table = await table1(db, relation, columns, { by: 'arm' });
  const order = (label: string) => run.arms.indexOf(label);
  const index = table.groups
    .map((g, i) => i)
    .sort((i, j) => order(table.groups[i].label) - order(table.groups[j].label));
  return {
    ...table,
    groups: index.map((i) => table.groups[i]),
    rows: table.rows.map((r) => ({
      ...r,
      summaries: r.summaries && index.map((i) => r.summaries![i]),
      levels: r.levels?.map((l) => ({ ...l, counts: index.map((i) => l.counts[i]) }))
    }))
  };
}
