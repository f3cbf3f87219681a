import { sqlString, type Connector } from './connector';

/**
 * The storage schema (snake_case). JSON documents are kept as VARCHAR because
 * duckdb-wasm has no JSON extension built in (and must not download one).
 * `twin` is wide: one column per covariate name across all cohorts, NULL where a cohort
 * has no such covariate; `cohort.columns` says which columns belong to a cohort.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS cohort (
  cohort_id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  seed BIGINT NOT NULL,
  spec VARCHAR NOT NULL,
  columns VARCHAR NOT NULL,
  screening VARCHAR,
  n_screened BIGINT,
  n_enrolled BIGINT,
  status VARCHAR NOT NULL,
  error VARCHAR,
  created_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  app_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS twin (
  cohort_id INTEGER NOT NULL,
  twin_id INTEGER NOT NULL
);
`;

export async function ensureSchema(db: Connector): Promise<void> {
  await db.exec(SCHEMA_SQL);
  await ensureWriterColumns(db, 'cohort');
}

/** The tables of work that runs for a while: a cohort, a run, a power study, a calibration. */
export type WorkTable = 'cohort' | 'run' | 'power' | 'calibration';

/**
 * Each piece of work records the process writing it (pid and host), so that work left
 * 'running' by a process that has since died can be recognised (db/recover.ts). Files
 * made before these columns existed get them here.
 */
export async function ensureWriterColumns(db: Connector, table: WorkTable): Promise<void> {
  await db.exec(
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS writer_pid INTEGER; ` +
      `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS writer_host VARCHAR`
  );
}

/** The SQL values of writer_pid and writer_host for work started through `db`. */
export function writerValues(db: Connector): [string, string] {
  return db.writer ? [String(db.writer.pid), sqlString(db.writer.host)] : ['NULL', 'NULL'];
}
