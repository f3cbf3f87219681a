import { nextId } from './next-id';
import { makeVector, Table, type Vector } from 'apache-arrow';
import type { CohortChunk } from '../engine/cohort/generate-chunk';
import type { ColumnInfo } from '../engine/cohort/plan';
import { APP_VERSION } from '../version';
import { execEach, rowsOf, sqlIdent, sqlString, type Connector } from './connector';
import { ensureSchema, writerValues } from './schema';

/**
 * Cohorts and their twins in DuckDB. Twins are appended chunk by chunk to a staging
 * table (level codes, not strings: a plain memcpy per column) and moved into `twin`
 * with their level names in one transaction when generation completes, so a failed or
 * cancelled cohort leaves no twin rows behind and is never marked complete.
 */
export interface CohortRecord {
  cohortId: number;
  name: string;
  seed: number;
  spec: unknown;
  columns: ColumnInfo[];
  screening: ScreeningSummary | null;
  nScreened: number | null;
  nEnrolled: number | null;
  status: 'generating' | 'complete' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  createdAt: string;
}

export interface ScreeningSummary {
  screened: number;
  enrolled: number;
  criteria: { label: string; failedAny: number; failedFirst: number }[];
}

/** A covariate name used with another type by an earlier cohort of the same database. */
export class CovariateTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CovariateTypeError';
  }
}

const stageTable = (cohortId: number) => `twin_stage_${cohortId}`;

function sqlTypeOf(col: ColumnInfo): string {
  if (col.levels) return 'VARCHAR';
  if (col.kind === 'binary') return 'TINYINT';
  return 'DOUBLE';
}

function stageTypeOf(col: ColumnInfo): string {
  if (col.levels) return 'SMALLINT';
  if (col.kind === 'binary') return 'TINYINT';
  return 'DOUBLE';
}

/** Registers a new cohort (status 'generating') and prepares its staging table. */
export async function beginCohort(
  db: Connector,
  args: { name: string; seed: number; spec: unknown; columns: ColumnInfo[] }
): Promise<number> {
  await ensureSchema(db);
  await ensureTwinColumns(db, args.columns);
  const cohortId = await nextId(db, 'cohort');
  await db.exec(
    `INSERT INTO cohort (cohort_id, name, seed, spec, columns, status, created_at, app_version, writer_pid, writer_host) VALUES (` +
      `${cohortId}, ${sqlString(args.name)}, ${args.seed}, ${sqlString(JSON.stringify(args.spec))}, ` +
      `${sqlString(JSON.stringify(args.columns))}, 'generating', current_timestamp, ${sqlString(APP_VERSION)}, ` +
      `${writerValues(db).join(', ')})`
  );
  const cols = args.columns.map((c) => `${sqlIdent(c.name)} ${stageTypeOf(c)}`).join(', ');
  await db.exec(`CREATE OR REPLACE TABLE ${stageTable(cohortId)} (twin_id INTEGER, ${cols})`);
  return cohortId;
}

/**
 * Registers a complete cohort whose twins are the rows of a query (twin_id and the cohort's
 * columns, level names as text), such as the Parquet files of a trial's shards. It starts
 * no transaction of its own: a merge runs it inside its own, with the run's rows.
 */
export async function insertCompleteCohort(
  db: Connector,
  args: { name: string; seed: number; spec: unknown; columns: ColumnInfo[]; screening: ScreeningSummary },
  twins: string
): Promise<number> {
  await ensureSchema(db);
  await ensureTwinColumns(db, args.columns);
  const cohortId = await nextId(db, 'cohort');
  const s = args.screening;
  await db.exec(
    `INSERT INTO cohort (cohort_id, name, seed, spec, columns, screening, n_screened, n_enrolled, status, created_at, finished_at, app_version, writer_pid, writer_host) VALUES (` +
      `${cohortId}, ${sqlString(args.name)}, ${args.seed}, ${sqlString(JSON.stringify(args.spec))}, ` +
      `${sqlString(JSON.stringify(args.columns))}, ${sqlString(JSON.stringify(s))}, ${s.screened}, ${s.enrolled}, ` +
      `'complete', current_timestamp, current_timestamp, ${sqlString(APP_VERSION)}, ${writerValues(db).join(', ')})`
  );
  const cols = args.columns.map((c) => sqlIdent(c.name)).join(', ');
  await db.exec(
    `INSERT INTO twin BY NAME SELECT ${cohortId} AS cohort_id, twin_id, ${cols} FROM (${twins}) ORDER BY twin_id`
  );
  return cohortId;
}

/** Adds to `twin` any covariate column it lacks; refuses a name already used with another type. */
async function ensureTwinColumns(db: Connector, columns: ColumnInfo[]): Promise<void> {
  const existing = new Map(
    rowsOf<{ column_name: string; data_type: string }>(
      await db.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'twin' AND table_schema = 'main'`
      )
    ).map((r) => [r.column_name, r.data_type])
  );
  for (const col of columns) {
    const want = sqlTypeOf(col);
    const have = existing.get(col.name);
    if (have === undefined) {
      await db.exec(`ALTER TABLE twin ADD COLUMN ${sqlIdent(col.name)} ${want}`);
    } else if (have !== want && !(have === 'DOUBLE' && want === 'TINYINT')) {
      throw new CovariateTypeError(
        `covariate '${col.name}' is ${want} here but ${have} in an earlier cohort of this database; rename it`
      );
    }
  }
}

/** Appends one generated chunk to the cohort's staging table. */
export async function insertTwinChunk(
  db: Connector,
  cohortId: number,
  columns: ColumnInfo[],
  chunk: CohortChunk
) {
  const n = chunk.count;
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = chunk.firstId + i;
  // makeVector wraps each typed array as an Arrow vector of its own type, without a copy.
  const vectors: Record<string, Vector> = { twin_id: makeVector(ids) };
  columns.forEach((col, c) => {
    const values = chunk.columns[c];
    if (col.levels) vectors[col.name] = makeVector(Int16Array.from(values));
    else if (col.kind === 'binary') vectors[col.name] = makeVector(Int8Array.from(values));
    else vectors[col.name] = makeVector(values);
  });
  await db.insertArrow(stageTable(cohortId), new Table(vectors));
}

/** Moves staged twins into `twin` (codes → level names) and marks the cohort complete. */
export async function completeCohort(
  db: Connector,
  cohortId: number,
  columns: ColumnInfo[],
  screening: ScreeningSummary
): Promise<void> {
  const select = columns
    .map((c) => {
      const name = sqlIdent(c.name);
      if (!c.levels) return name;
      const list = `[${c.levels.map(sqlString).join(', ')}]`;
      return `${list}[${name} + 1] AS ${name}`;
    })
    .join(', ');
  await db.exec('BEGIN TRANSACTION');
  try {
    await db.exec(
      `INSERT INTO twin BY NAME SELECT ${cohortId} AS cohort_id, twin_id, ${select} FROM ${stageTable(cohortId)} ORDER BY twin_id`
    );
    await db.exec(
      `UPDATE cohort SET status = 'complete', finished_at = current_timestamp, ` +
        `screening = ${sqlString(JSON.stringify(screening))}, n_screened = ${screening.screened}, ` +
        `n_enrolled = ${screening.enrolled} WHERE cohort_id = ${cohortId}`
    );
    await db.exec(`DROP TABLE ${stageTable(cohortId)}`);
    await db.exec('COMMIT');
  } catch (e) {
    // A COMMIT that failed (a full disk) has rolled back already, and ROLLBACK then fails
    // too: that second error must not hide the first.
    await db.exec('ROLLBACK').catch(() => {});
    throw e;
  }
}

/**
 * Marks a cohort failed or cancelled and drops whatever was staged for it. The status goes
 * first: it is the smallest write, the likeliest to succeed on a full disk.
 */
export async function abandonCohort(
  db: Connector,
  cohortId: number,
  status: 'failed' | 'cancelled' | 'interrupted',
  error: string
): Promise<void> {
  await execEach(db, [
    `UPDATE cohort SET status = ${sqlString(status)}, error = ${sqlString(error)}, finished_at = current_timestamp ` +
      `WHERE cohort_id = ${cohortId}`,
    `DROP TABLE IF EXISTS ${stageTable(cohortId)}`
  ]);
}

export async function listCohorts(db: Connector): Promise<CohortRecord[]> {
  await ensureSchema(db);
  const rows = rowsOf<Record<string, unknown>>(
    await db.query(
      `SELECT cohort_id, name, seed, spec, columns, screening, n_screened, n_enrolled, status, error, ` +
        `CAST(created_at AS VARCHAR) AS created_at FROM cohort ORDER BY cohort_id`
    )
  );
  return rows.map((r) => ({
    cohortId: r.cohort_id as number,
    name: r.name as string,
    seed: r.seed as number,
    spec: JSON.parse(r.spec as string),
    columns: JSON.parse(r.columns as string),
    screening: r.screening ? JSON.parse(r.screening as string) : null,
    nScreened: (r.n_screened as number) ?? null,
    nEnrolled: (r.n_enrolled as number) ?? null,
    status: r.status as CohortRecord['status'],
    error: (r.error as string) ?? null,
    createdAt: r.created_at as string
  }));
}

export async function getCohort(db: Connector, cohortId: number): Promise<CohortRecord> {
  const found = (await listCohorts(db)).find((c) => c.cohortId === cohortId);
  if (!found) throw new Error(`no cohort ${cohortId} in this database`);
  return found;
}

/** SQL selecting a complete cohort's twins: twin_id and its own covariates, by twin id. */
export function twinsSql(cohort: CohortRecord): string {
  const cols = cohort.columns.map((c) => sqlIdent(c.name)).join(', ');
  return `SELECT twin_id, ${cols} FROM twin WHERE cohort_id = ${cohort.cohortId} ORDER BY twin_id`;
}

export async function deleteCohort(db: Connector, cohortId: number): Promise<void> {
  await execEach(db, deleteCohortSql(cohortId));
}

/**
 * The statements deleting a cohort, its twins and its staging table. The row goes only
 * once the twins have: if deleting them fails (a full disk), the row is still there to
 * say whose they are, and the next try (db/recover.ts) finds them.
 */
export function deleteCohortSql(cohortId: number): string[] {
  return [
    `DELETE FROM twin WHERE cohort_id = ${cohortId}`,
    `DROP TABLE IF EXISTS ${stageTable(cohortId)}`,
    `DELETE FROM cohort WHERE cohort_id = ${cohortId} AND NOT EXISTS (SELECT 1 FROM twin WHERE cohort_id = ${cohortId})`
  ];
}
