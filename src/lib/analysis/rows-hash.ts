import { rowsOf, scalar, sqlIdent, sqlString, type Connector } from '../db/connector';
import { POWER_DATA_TABLES } from '../db/power-store';
import { RUN_DATA_TABLES } from '../db/run-store';

/** A relation's row count and a hash of its rows. */
export interface RowsHash {
  rows: number;
  hash: string;
}

/**
 * The number of rows of a relation and a hash of them that ignores their order: the sum
 * (as HUGEINT, so it cannot overflow) of DuckDB's 64-bit hash of each row's columns but
 * those excluded (ids that differ between databases). Two relations with the same rows to
 * the bit, in any order, have the same hash; a changed value, a missing or an extra row
 * changes it. Grouped by `by` when given (one entry per group value).
 */
export async function rowsHashBy(
  db: Connector,
  relation: string,
  exclude: readonly string[],
  by: string
): Promise<Map<number, RowsHash>> {
  const skip = [...exclude, by].map(sqlIdent).join(', ');
  const rows = rowsOf<{ g: number; rows: number; hash: string }>(
    await db.query(
      `SELECT ${sqlIdent(by)} AS g, count(*)::BIGINT AS rows, ` +
        `coalesce(sum(hash(*COLUMNS(* EXCLUDE (${skip})))::HUGEINT), 0)::VARCHAR AS hash ` +
        `FROM (${relation}) GROUP BY ALL`
    )
  );
  return new Map(rows.map((r) => [Number(r.g), { rows: r.rows, hash: r.hash }]));
}

/** rowsHashBy over the whole relation. */
export async function rowsHash(
  db: Connector,
  relation: string,
  exclude: readonly string[]
): Promise<RowsHash> {
  const all = await rowsHashBy(db, `SELECT 0 AS _all, * FROM (${relation})`, exclude, '_all');
  return all.get(0) ?? { rows: 0, hash: '0' };
}

/** Every table of a run's rows (its generated cohort's twins first) with its count and hash. */
export async function runFingerprint(
  db: Connector,
  runId: number
): Promise<({ table: string } & RowsHash)[]> {
  const cohort = `(SELECT cohort_id FROM run WHERE run_id = ${runId})`;
  const tables: [string, string, string[]][] = [
    ['twin', `SELECT * FROM twin WHERE cohort_id = ${cohort}`, ['cohort_id']],
    ...RUN_DATA_TABLES.map((t): [string, string, string[]] => [
      t,
      `SELECT * FROM ${t} WHERE run_id = ${runId}`,
      ['run_id']
    ])
  ];
  const out = [];
  for (const [table, relation, exclude] of tables)
    out.push({ table, ...(await rowsHash(db, relation, exclude)) });
  return out;
}

/**
 * A power study's replicate tables with their counts and hashes, and its summary (the study's
 * figures without its id and time) as one more entry.
 */
export async function powerFingerprint(
  db: Connector,
  powerId: number
): Promise<({ table: string } & RowsHash)[]> {
  const out = [];
  for (const table of POWER_DATA_TABLES)
    out.push({
      table,
      ...(await rowsHash(db, `SELECT * FROM ${table} WHERE power_id = ${powerId}`, ['power_id']))
    });
  const summary = await scalar<string | null>(db, `SELECT summary FROM power WHERE power_id = ${powerId}`);
  const figures =
    summary === null ? null : { ...JSON.parse(summary), powerId: undefined, seconds: undefined };
  const hash = await scalar<string>(db, `SELECT hash(${sqlString(JSON.stringify(figures))})::VARCHAR`);
  out.push({ table: 'power (summary)', rows: summary === null ? 0 : 1, hash });
  return out;
}
