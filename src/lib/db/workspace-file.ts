import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { APP_VERSION } from '../version';
import { execEach, rowsOf, sqlIdent, type Connector } from './connector';

/**
 * A whole workspace as one file, for moving it between browsers or machines. DuckDB's
 * EXPORT DATABASE writes a directory and needs the Parquet or CSV writers, which
 * duckdb-wasm lacks without extensions, so the file is our own simple container:
 *
 *   TWINBENCH-WORKSPACE\n            the magic line
 *   <header length in bytes>\n        decimal
 *   <header: UTF-8 JSON>              { format, appVersion, createdAt, tables, views }
 *   <table 1: Arrow IPC stream> …     one per table, in the header's order and lengths
 *
 * Each table carries the CREATE TABLE statement DuckDB gives for it (duckdb_tables().sql)
 * and each view its CREATE VIEW (duckdb_views().sql), so every column type comes back as
 * it was. Arrow IPC is what both connectors read and write (Connector.query/insertArrow).
 */
export const WORKSPACE_MAGIC = 'TWINBENCH-WORKSPACE';
/** The container's version: a newer file is refused rather than misread. */
export const WORKSPACE_FORMAT = 1;
const STAGE_PREFIX = '__workspace_import_';
/** The suggested file extension. */
export const WORKSPACE_EXTENSION = '.twinbench';

interface Header {
  format: number;
  appVersion: string;
  createdAt: string;
  tables: {
    name: string;
    sql: string;
    columns: { name: string; type: string }[];
    rows: number;
    bytes: number;
  }[];
  views: { name: string; sql: string }[];
}

/** A file that is not a workspace this version can read; the message says why. */
export class WorkspaceFileError extends Error {
  override name = 'WorkspaceFileError';
}

interface CatalogTable {
  name: string;
  sql: string;
  columns: { name: string; type: string }[];
}

/**
 * Column types carried as text in the file: dates and times (the Node appender takes no
 * JS value for them) and 64-bit or wider integers and decimals (the browser reads BIGINT
 * as a double, exact only up to 2^53), and lists (the Node appender's fast path has no
 * NULL elements). DuckDB prints doubles in their shortest exact form, so text casts back
 * to the same values when the rows are inserted.
 */
const AS_TEXT = /^(TIMESTAMP|DATE|TIME|INTERVAL|BIGINT|UBIGINT|HUGEINT|UHUGEINT|DECIMAL)|\[\]$/;

/** The SELECT list that reads a table as the file stores it. */
function portableColumns(t: CatalogTable): string {
  return t.columns
    .map((c) =>
      AS_TEXT.test(c.type) ? `CAST(${sqlIdent(c.name)} AS VARCHAR) AS ${sqlIdent(c.name)}` : sqlIdent(c.name)
    )
    .join(', ');
}

async function catalog(
  db: Connector
): Promise<{ tables: CatalogTable[]; views: { name: string; sql: string }[] }> {
  const tables = rowsOf<{ name: string; sql: string }>(
    await db.query(
      `SELECT table_name AS name, sql FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY table_name`
    )
  );
  const columns = rowsOf<{ table: string; name: string; type: string }>(
    await db.query(
      `SELECT table_name AS "table", column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index`
    )
  );
  const views = rowsOf<{ name: string; sql: string }>(
    await db.query(
      `SELECT view_name AS name, sql FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY view_oid`
    )
  );
  return {
    tables: tables.map((t) => ({ ...t, columns: columns.filter((c) => c.table === t.name) })),
    views
  };
}

/** Writes every table and view of the workspace into one file's bytes. */
export async function exportWorkspace(db: Connector): Promise<Uint8Array> {
  const { tables, views } = await catalog(db);
  const streams: Uint8Array[] = [];
  const header: Header = {
    format: WORKSPACE_FORMAT,
    appVersion: APP_VERSION,
    createdAt: new Date().toISOString(),
    tables: [],
    views
  };
  for (const t of tables) {
    const data = await db.query(`SELECT ${portableColumns(t)} FROM ${sqlIdent(t.name)}`);
    const bytes = tableToIPC(data, 'stream');
    streams.push(bytes);
    header.tables.push({ ...t, rows: data.numRows, bytes: bytes.length });
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new TextEncoder().encode(`${WORKSPACE_MAGIC}\n${json.length}\n`);
  const out = new Uint8Array(prefix.length + json.length + streams.reduce((s, b) => s + b.length, 0));
  out.set(prefix, 0);
  out.set(json, prefix.length);
  let at = prefix.length + json.length;
  for (const b of streams) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Reads and checks a workspace file's header; the data follows at `dataStart`. */
export function readWorkspaceHeader(bytes: Uint8Array): { header: Header; dataStart: number } {
  const head = new TextDecoder().decode(bytes.subarray(0, WORKSPACE_MAGIC.length + 24));
  if (!head.startsWith(`${WORKSPACE_MAGIC}\n`)) {
    throw new WorkspaceFileError(
      `this is not a Twinbench workspace file: it should start with '${WORKSPACE_MAGIC}' (export one from the Home page)`
    );
  }
  const lengthLine = /^(\d{1,12})\n/.exec(head.slice(WORKSPACE_MAGIC.length + 1));
  if (!lengthLine)
    throw new WorkspaceFileError('the workspace file is damaged: its header length is missing');
  const start = WORKSPACE_MAGIC.length + 1 + lengthLine[0].length;
  const end = start + Number(lengthLine[1]);
  if (end > bytes.length)
    throw new WorkspaceFileError('the workspace file is cut short: its header is incomplete');
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end))
    ) as Header;
  } catch {
    throw new WorkspaceFileError('the workspace file is damaged: its header is not readable');
  }
  if (typeof header.format !== 'number' || !Array.isArray(header.tables) || !Array.isArray(header.views)) {
    throw new WorkspaceFileError('the workspace file is damaged: its header lacks format, tables or views');
  }
  if (header.format > WORKSPACE_FORMAT) {
    throw new WorkspaceFileError(
      `the workspace file was made by a newer Twinbench (${header.appVersion}, file format ${header.format}); ` +
        `this is ${APP_VERSION}, which reads format ${WORKSPACE_FORMAT}`
    );
  }
  const total = header.tables.reduce((s, t) => s + t.bytes, 0);
  if (end + total !== bytes.length) {
    throw new WorkspaceFileError(
      `the workspace file is damaged or cut short: it holds ${bytes.length - end} bytes of data, its header says ${total}`
    );
  }
  return { header, dataStart: end };
}

/**
 * Replaces the workspace's tables and views with a file's, in one transaction: a file
 * that fails part way leaves the workspace as it was. Returns what was read.
 */
export async function importWorkspace(
  db: Connector,
  bytes: Uint8Array
): Promise<{ tables: number; rows: number }> {
  const { header, dataStart } = readWorkspaceHeader(bytes);
  const current = await catalog(db);
  await db.exec('BEGIN TRANSACTION');
  try {
    for (const v of current.views) await db.exec(`DROP VIEW IF EXISTS ${sqlIdent(v.name)}`);
    for (const t of current.tables) await db.exec(`DROP TABLE IF EXISTS ${sqlIdent(t.name)}`);
    let at = dataStart;
    let rows = 0;
    for (const t of header.tables) {
      await db.exec(t.sql);
      const data = tableFromIPC(bytes.subarray(at, at + t.bytes));
      at += t.bytes;
      if (data.numRows !== t.rows) {
        throw new WorkspaceFileError(
          `the workspace file is damaged: table ${t.name} holds ${data.numRows} rows, its header says ${t.rows}`
        );
      }
      if (data.numRows > 0) {
        // Rows go through a staging table of the file's column types; INSERT casts them back.
        const stage = sqlIdent(`${STAGE_PREFIX}${t.name}`);
        await db.exec(
          `CREATE TABLE ${stage} AS SELECT ${portableColumns(t)} FROM ${sqlIdent(t.name)} LIMIT 0`
        );
        await db.insertArrow(`${STAGE_PREFIX}${t.name}`, data);
        await db.exec(`INSERT INTO ${sqlIdent(t.name)} SELECT * FROM ${stage}; DROP TABLE ${stage}`);
      }
      rows += data.numRows;
    }
    for (const v of header.views) await db.exec(v.sql);
    await db.exec('COMMIT');
    return { tables: header.tables.length, rows };
  } catch (e) {
    await execEach(db, ['ROLLBACK']).catch(() => {});
    throw e;
  }
}
