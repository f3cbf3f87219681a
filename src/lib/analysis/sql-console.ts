import type { Table } from 'apache-arrow';
import { rowsOf, sqlIdent, type Connector, type ReadOnlySession } from '../db/connector';
import { lineColumn, SqlTokenError, tokenizeSql, type SqlToken } from './sql-tokens';

/**
 * The SQL console: read-only queries a user types, over every table and view of a
 * workspace, in the browser (duckdb-wasm) and from `twinbench sql` (native DuckDB).
 *
 * Read-only in three layers, so that no single one has to be perfect:
 * 1. `checkReadOnly` reads the text as DuckDB's scanner does (sql-tokens.ts) and lets
 *    through one statement of an allowed kind, naming any other.
 * 2. The statement runs as a subquery, `SELECT … FROM (<text>) AS console_result`, which
 *    DuckDB parses only if the text is a query (a write cannot be a subquery).
 * 3. It runs in a session of its own (Connector.readOnlySession): a separate connection
 *    inside `BEGIN TRANSACTION READ ONLY`, rolled back when done, where DuckDB refuses
 *    every write; each query is prepared, and DuckDB refuses to prepare several
 *    statements at once, so text that slipped a `;` past layer 1 still runs nothing.
 */

/** What the console runs, for messages. */
export const ALLOWED_STATEMENTS =
  "SELECT, WITH … SELECT, FROM …, VALUES, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN and PRAGMA table_info('table')";

/** Rows on a page of the console's result grid, and printed by `twinbench sql`. */
export const DEFAULT_PAGE_ROWS = 100;

/** A statement refused, or a query DuckDB could not run: the message says what and where. */
export class SqlConsoleError extends Error {
  /** The kind of a refused statement (DELETE, CREATE, PRAGMA version, …). */
  readonly kind?: string;
  constructor(message: string, kind?: string) {
    super(message);
    this.name = 'SqlConsoleError';
    this.kind = kind;
  }
}

/** A statement the console runs. */
export interface ReadOnlyStatement {
  /** SELECT, WITH, FROM, VALUES, TABLE, PIVOT, UNPIVOT, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN or 'PRAGMA table_info'. */
  kind: string;
  /** A query to read from as a subquery (paged); null for EXPLAIN, which is run as it is. */
  relation: string | null;
  /** The statement as written, without a trailing semicolon or comment. */
  text: string;
}

/** Statements that are queries, and so can be read from as a subquery. */
const QUERY_WORDS = new Set([
  'SELECT',
  'FROM',
  'VALUES',
  'TABLE',
  'PIVOT',
  'UNPIVOT',
  'DESCRIBE',
  'DESC',
  'SUMMARIZE',
  'SHOW'
]);
/** Statements a WITH clause can lead to that write (DuckDB: WITH … INSERT / UPDATE / DELETE). */
const WRITE_AFTER_WITH = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function refused(kind: string): SqlConsoleError {
  return new SqlConsoleError(
    `${kind} statements are not run here: the SQL console only reads. It runs ${ALLOWED_STATEMENTS}.`,
    kind
  );
}

function at(sql: string, offset: number): string {
  const { line, column } = lineColumn(sql, offset);
  return `line ${line}, column ${column}`;
}

/**
 * Checks that `sql` is one statement the console runs and says how to run it; throws a
 * SqlConsoleError naming the statement's kind (and what is allowed) for anything else:
 * any write, several statements, a string or comment left open.
 */
export function checkReadOnly(sql: string): ReadOnlyStatement {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sql);
  } catch (e) {
    if (e instanceof SqlTokenError) throw new SqlConsoleError(`${at(sql, e.offset)}: ${e.message}`);
    throw e;
  }
  const statements: SqlToken[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') statements.push([]);
    else statements[statements.length - 1].push(t);
  }
  const nonEmpty = statements.filter((s) => s.length > 0);
  if (nonEmpty.length === 0) throw new SqlConsoleError('There is no statement to run.');
  if (nonEmpty.length > 1) {
    throw new SqlConsoleError(
      `The text holds ${nonEmpty.length} statements (the second starts at ${at(sql, nonEmpty[1][0].start)}); ` +
        `the SQL console runs one statement at a time.`
    );
  }
  const statement = nonEmpty[0];
  checkParentheses(sql, statement);
  // The text up to the statement's last token, with any empty statements before it blanked
  // (`;; SELECT 1`), so DuckDB's line numbers are the user's.
  const end = statement[statement.length - 1].end;
  const text = sql
    .slice(0, end)
    .replace(/;/g, (semicolon, offset: number) => (offset < statement[0].start ? ' ' : semicolon));
  return classify(sql, statement, text);
}

function classify(sql: string, tokens: SqlToken[], text: string): ReadOnlyStatement {
  // A query in parentheses, `(SELECT 1) UNION (SELECT 2)`, is read from its first word.
  const first = tokens.find((t) => !(t.kind === 'punct' && t.text === '('));
  if (!first || first.kind !== 'word') {
    throw new SqlConsoleError(
      `${at(sql, (first ?? tokens[0]).start)}: a statement starts with a word such as SELECT; ` +
        `the SQL console runs ${ALLOWED_STATEMENTS}.`
    );
  }
  const word = first.text;
  if (QUERY_WORDS.has(word)) return { kind: word === 'DESC' ? 'DESCRIBE' : word, relation: text, text };
  if (word === 'WITH') {
    const main = mainStatementAfterWith(tokens);
    if (main && WRITE_AFTER_WITH.has(main)) throw refused(`WITH … ${main}`);
    return { kind: 'WITH', relation: text, text };
  }
  if (word === 'EXPLAIN') {
    // EXPLAIN ANALYZE runs the statement: what it explains must be a query too.
    const rest = tokens.slice(tokens.indexOf(first) + 1);
    const inner = rest[0]?.text === 'ANALYZE' ? rest.slice(1) : rest;
    if (inner.length === 0)
      throw new SqlConsoleError('EXPLAIN needs a query to explain, e.g. EXPLAIN SELECT …');
    const explained = classify(sql, inner, text);
    if (explained.relation === null) throw refused('EXPLAIN EXPLAIN');
    return { kind: 'EXPLAIN', relation: null, text };
  }
  if (word === 'PRAGMA') return pragmaTableInfo(sql, tokens.slice(tokens.indexOf(first) + 1), text);
  throw refused(word);
}

/**
 * The statement a WITH clause leads to: the first word at the WITH's own depth that starts
 * a statement (the common table expressions are in parentheses). Undefined when there is
 * none (`WITH a AS (…) (SELECT …)`): the statement is then read as a subquery, which
 * DuckDB accepts only for a query.
 */
function mainStatementAfterWith(tokens: SqlToken[]): string | undefined {
  let depth = 0;
  for (const t of tokens.slice(1)) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && (QUERY_WORDS.has(t.text) || WRITE_AFTER_WITH.has(t.text)))
      return t.text;
  }
  return undefined;
}

/** PRAGMA table_info('name') is read as the table function pragma_table_info('name'). */
function pragmaTableInfo(sql: string, rest: SqlToken[], text: string): ReadOnlyStatement {
  const name = rest[0];
  if (!name || name.kind !== 'word') throw refused('PRAGMA');
  if (name.text !== 'TABLE_INFO') throw refused(`PRAGMA ${name.text.toLowerCase()}`);
  const open = rest[1];
  const close = rest[rest.length - 1];
  if (!open || open.text !== '(' || close.text !== ')') {
    throw new SqlConsoleError(`write PRAGMA table_info as PRAGMA table_info('table')`);
  }
  return {
    kind: 'PRAGMA table_info',
    relation: `SELECT * FROM pragma_table_info${sql.slice(open.start, close.end)}`,
    text
  };
}

/** Parentheses must pair up: a `)` without its `(` would close the subquery the console wraps. */
function checkParentheses(sql: string, tokens: SqlToken[]): void {
  const open: SqlToken[] = [];
  for (const t of tokens) {
    if (t.kind !== 'punct') continue;
    if (t.text === '(') open.push(t);
    else if (t.text === ')' && !open.pop())
      throw new SqlConsoleError(`${at(sql, t.start)}: this ')' closes no '('`);
  }
  if (open.length)
    throw new SqlConsoleError(`${at(sql, open[open.length - 1].start)}: this '(' is not closed`);
}

/** A result column: its name and DuckDB type. */
export interface ResultColumn {
  name: string;
  type: string;
}

/** One value of a result as the console shows it: numbers stay numbers, the rest is DuckDB's text. */
export type ResultValue = number | string | null;

/** A page of a query's result. */
export interface QueryPage {
  statement: ReadOnlyStatement;
  columns: ResultColumn[];
  rows: ResultValue[][];
  /** Rows in the whole result. */
  total: number;
  offset: number;
  limit: number;
}

/**
 * Runs one read-only statement (see checkReadOnly) and returns the page of its result from
 * `offset` (`limit` rows) with the result's size. Without an ORDER BY, DuckDB's order of
 * rows may differ from one run of a query to the next, and so between pages.
 */
export async function runReadOnlyQuery(
  db: Connector,
  sql: string,
  { offset = 0, limit = DEFAULT_PAGE_ROWS }: { offset?: number; limit?: number } = {}
): Promise<QueryPage> {
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new SqlConsoleError('offset must be a whole number ≥ 0');
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new SqlConsoleError('limit must be a whole number ≥ 1');
  const statement = checkReadOnly(sql);
  return withSession(db, async (session) => {
    if (statement.relation === null) {
      const table = await run(session, statement.text);
      const columns = table.schema.fields.map((f) => ({ name: f.name, type: 'VARCHAR' }));
      const rows = valuesOf(table);
      return {
        statement,
        columns,
        rows: rows.slice(offset, offset + limit),
        total: rows.length,
        offset,
        limit
      };
    }
    const columns = await columnsOf(session, statement.relation);
    const count = await run(session, `SELECT count(*)::DOUBLE AS n FROM ${subquery(statement.relation)}`);
    const page = await run(
      session,
      `${shownColumns(statement.relation, columns)} LIMIT ${limit} OFFSET ${offset}`
    );
    return {
      statement,
      columns,
      rows: valuesOf(page),
      total: Number(count.getChildAt(0)?.get(0) ?? 0),
      offset,
      limit
    };
  });
}

/**
 * The whole result of a read-only statement as an Arrow table of numbers and text (as
 * the grid shows them), for export in the browser (io/table-export).
 */
export async function readOnlyQueryTable(db: Connector, sql: string): Promise<Table> {
  const statement = checkReadOnly(sql);
  return withSession(db, async (session) => {
    if (statement.relation === null) return run(session, statement.text);
    return run(session, shownColumns(statement.relation, await columnsOf(session, statement.relation)));
  });
}

/** The statement as a query for DuckDB's COPY (native types kept); null for EXPLAIN. */
export function readOnlyRelation(statement: ReadOnlyStatement): string | null {
  return statement.relation === null ? null : `SELECT * FROM ${subquery(statement.relation)}`;
}

/** The relation as a subquery; its closing parenthesis on a line of its own, after any comment. */
function subquery(relation: string): string {
  return `(${relation}\n) AS console_result`;
}

async function withSession<T>(db: Connector, use: (session: ReadOnlySession) => Promise<T>): Promise<T> {
  if (!db.readOnlySession) throw new Error(`a ${db.kind} database without read-only sessions`);
  const session = await db.readOnlySession();
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

/** Runs a query of the session, DuckDB's refusal turned into a message for the user. */
async function run(session: ReadOnlySession, sql: string): Promise<Table> {
  try {
    return await session.query(sql);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/^INTERNAL Error/i.test(message)) throw e;
    if (/Cannot prepare multiple statements/.test(message)) {
      // A PIVOT without IN (…) is one: DuckDB first creates a type of the values it finds.
      throw new SqlConsoleError(
        'DuckDB runs this as several statements, and the SQL console runs one ' +
          "(a PIVOT needs its values listed: PIVOT t ON col IN ('a', 'b') USING …)."
      );
    }
    if (/launched in read-only mode/.test(message)) {
      throw new SqlConsoleError(`This query would write to the database, and the SQL console only reads.`);
    }
    // DuckDB's message without its echo of the (wrapped) text; the line numbers are the user's.
    const line = /\nLINE (\d+):/.exec(message)?.[1];
    const first = message.split(/\n\s*\nLINE \d+:|\nLINE \d+:/)[0].trim();
    throw new SqlConsoleError(line ? `${first} (line ${line})` : first);
  }
}

async function columnsOf(session: ReadOnlySession, relation: string): Promise<ResultColumn[]> {
  const described = rowsOf<{ column_name: string; column_type: string }>(
    await run(session, `DESCRIBE SELECT * FROM ${subquery(relation)}`)
  );
  return described.map((c) => ({ name: c.column_name, type: c.column_type }));
}

/** Types that arrive as JS numbers in both connectors (BIGINT: cast to double by both). */
const NUMBER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'FLOAT',
  'DOUBLE'
]);
/** Numbers that do not (HUGEINT and DECIMAL come as raw objects from duckdb-wasm): shown as doubles. */
const DOUBLE_TYPES = /^(HUGEINT|UHUGEINT|UBIGINT|DECIMAL\(\d+,\d+\))$/;

/**
 * A SELECT of the relation's columns as the console shows them: numbers as numbers,
 * everything else (dates, lists, structs, booleans, …) as DuckDB's own text of it, the
 * same in the browser and in Node, and writable by the browser's CSV and Parquet export.
 */
/** Whether the console shows a column of this DuckDB type as numbers. */
export function shownAsNumber(type: string): boolean {
  return NUMBER_TYPES.has(type) || DOUBLE_TYPES.test(type);
}

function shownColumns(relation: string, columns: ResultColumn[]): string {
  const list = columns.map(({ name, type }) => {
    const id = sqlIdent(name);
    if (NUMBER_TYPES.has(type) || type === 'VARCHAR') return id;
    return `CAST(${id} AS ${DOUBLE_TYPES.test(type) ? 'DOUBLE' : 'VARCHAR'}) AS ${id}`;
  });
  return `SELECT ${list.join(', ') || '*'} FROM ${subquery(relation)}`;
}

function valuesOf(table: Table): ResultValue[][] {
  const vectors = table.schema.fields.map((_, i) => table.getChildAt(i));
  const rows: ResultValue[][] = [];
  for (let r = 0; r < table.numRows; r++) {
    rows.push(
      vectors.map((v) => {
        const value = v?.get(r) as unknown;
        if (value === null || value === undefined) return null;
        return typeof value === 'number' || typeof value === 'string'
          ? value
          : typeof value === 'bigint'
            ? Number(value)
            : String(value);
      })
    );
  }
  return rows;
}

/** A table or view of the workspace, with its columns. */
export interface SchemaTable {
  name: string;
  kind: 'table' | 'view';
  columns: ResultColumn[];
}

/** Every table and view of the database's main schema, tables first, each by name. */
export async function workspaceSchema(db: Connector): Promise<SchemaTable[]> {
  const rows = rowsOf<{ name: string; view: boolean; column_name: string; column_type: string }>(
    await db.query(`
      SELECT t.table_name AS name, t.table_type = 'VIEW' AS view,
             c.column_name AS column_name, c.data_type AS column_type
      FROM information_schema.tables t
      JOIN information_schema.columns c
        ON c.table_catalog = t.table_catalog AND c.table_schema = t.table_schema AND c.table_name = t.table_name
      WHERE t.table_catalog = current_database() AND t.table_schema = current_schema()
      ORDER BY view, t.table_name, c.ordinal_position`)
  );
  const tables: SchemaTable[] = [];
  for (const row of rows) {
    let table = tables[tables.length - 1];
    if (table?.name !== row.name) {
      table = { name: row.name, kind: row.view ? 'view' : 'table', columns: [] };
      tables.push(table);
    }
    table.columns.push({ name: row.column_name, type: row.column_type });
  }
  return tables;
}

/** A table's name as the console writes it into a query: quoted when it has to be. */
export function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : sqlIdent(name);
}
