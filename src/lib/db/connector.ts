import type { Table } from 'apache-arrow';

/**
 * The one door to the database. Two implementations speak the same SQL: native DuckDB
 * (@duckdb/node-api) for the CLI and tests, duckdb-wasm for the browser. Everything
 * else in Twinbench talks to a Connector, never to a DuckDB API directly.
 */
export interface Connector {
  readonly kind: 'node' | 'wasm';
  /** Runs a query and returns its result as an Arrow table. */
  query(sql: string): Promise<Table>;
  /** Runs statements whose result is not needed. */
  exec(sql: string): Promise<void>;
  /** Appends an Arrow table's rows to an existing table; columns match by position. */
  insertArrow(table: string, data: Table): Promise<void>;
  close(): Promise<void>;
  /** Stops the statement running now, if the engine can (a long query after Ctrl-C). */
  interrupt?(): void;
  /** Who writes through this connection, recorded with the work it starts (db/recover.ts). */
  readonly writer?: Writer;
  /**
   * A connection of its own inside a read-only transaction, for queries a user types (the
   * SQL console): DuckDB refuses any write in it, and each query is prepared, so a text
   * holding several statements is refused too. Its own connection, so no other work's
   * statements run in its transaction. Closing it rolls back.
   */
  readOnlySession?(): Promise<ReadOnlySession>;
}

/** See Connector.readOnlySession. */
export interface ReadOnlySession {
  /** Prepares and runs exactly one statement. */
  query(sql: string): Promise<Table>;
  /** Rolls the transaction back and closes the connection. */
  close(): Promise<void>;
}

/** A process that writes to a database: its id and host ('browser' in a web page). */
export interface Writer {
  pid: number;
  host: string;
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Rows of an Arrow table as plain objects, with BIGINTs as numbers and dates as ISO text. */
export function rowsOf<T = Record<string, unknown>>(table: Table): T[] {
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((_, i) => table.getChildAt(i));
  const out: T[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, i) => (row[n] = plain(cols[i]?.get(r))));
    out.push(row as T);
  }
  return out;
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

/**
 * Runs every statement even when one fails, then throws the first failure: a cleanup
 * (mark failed, delete rows) on a struggling disk must still do everything it can.
 */
export async function execEach(db: Connector, statements: readonly string[]): Promise<void> {
  let first: unknown;
  for (const sql of statements) {
    try {
      await db.exec(sql);
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** The first column of the first row. */
export async function scalar<T = unknown>(db: Connector, sql: string): Promise<T> {
  const t = await db.query(sql);
  return plain(t.getChildAt(0)?.get(0)) as T;
}
