import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkReadOnly,
  readOnlyQueryTable,
  runReadOnlyQuery,
  SqlConsoleError,
  workspaceSchema
} from '../../src/lib/analysis/sql-console';
import { tokenizeSql } from '../../src/lib/analysis/sql-tokens';
import { rowsOf, scalar, sqlString, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { tableToCsv, tableToParquet } from '../../src/lib/io/table-export';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { openWasmInNode } from '../helpers/wasm-in-node';

const spec = loadCohortSpec(readFileSync('cohorts/adults-nhanes.yaml', 'utf8'));

/** Every table's name and row count, the views' names and the sequence's next value. */
async function snapshot(db: Connector) {
  const tables = rowsOf<{ name: string; view: boolean }>(
    await db.query(
      `SELECT table_name AS name, table_type = 'VIEW' AS view FROM information_schema.tables ORDER BY name`
    )
  );
  const counts: Record<string, number> = {};
  for (const t of tables)
    counts[t.name] = await scalar<number>(db, `SELECT count(*)::DOUBLE FROM "${t.name}"`);
  const sequence = rowsOf(await db.query(`SELECT start_value, last_value FROM duckdb_sequences()`));
  return { tables, counts, sequence };
}

const REFUSED = [
  'DELETE FROM twin',
  'DROP TABLE twin',
  'INSERT INTO twin (cohort_id, twin_id) VALUES (9, 9)',
  'UPDATE twin SET twin_id = 0',
  'CREATE TABLE x AS SELECT 1',
  'ALTER TABLE twin ADD COLUMN c INTEGER',
  'WITH a AS (SELECT 1) DELETE FROM twin',
  'EXPLAIN ANALYZE DELETE FROM twin',
  'SELECT 1; DELETE FROM twin',
  "SELECT 'a\\'; DELETE FROM twin; --'",
  'SELECT 1) AS q; DELETE FROM twin; SELECT (1',
  'CHECKPOINT',
  'SET threads = 1',
  'PRAGMA enable_profiling'
];

describe.each(['node', 'wasm'] as const)('the SQL console on %s DuckDB', (kind) => {
  let db: Connector;
  beforeAll(async () => {
    db = kind === 'node' ? await NodeConnector.open() : await openWasmInNode();
    await generateCohort({ db, pool: nodeWorkerPool(0), spec, n: 250, chunkSize: 100 });
    await db.exec(`CREATE VIEW women AS SELECT * FROM twin WHERE sex = 'F'; CREATE SEQUENCE ids`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('pages through a result, with the size of the whole result', async () => {
    const sql = 'SELECT twin_id, sex, age, weight FROM twin ORDER BY twin_id';
    const first = await runReadOnlyQuery(db, sql);
    expect(first.total).toBe(250);
    expect(first.rows).toHaveLength(100);
    expect(first.columns).toEqual([
      { name: 'twin_id', type: 'INTEGER' },
      { name: 'sex', type: 'VARCHAR' },
      { name: 'age', type: 'DOUBLE' },
      { name: 'weight', type: 'DOUBLE' }
    ]);
    const last = await runReadOnlyQuery(db, sql, { offset: 200, limit: 100 });
    expect(last.total).toBe(250);
    expect(last.rows.map((r) => r[0])).toEqual(Array.from({ length: 50 }, (_, i) => 201 + i));
    // The same rows as DuckDB gives for the query with its own LIMIT and OFFSET.
    const direct = rowsOf(await db.query(`${sql} LIMIT 50 OFFSET 200`)).map((r) => Object.values(r));
    expect(last.rows).toEqual(direct);
    expect((await runReadOnlyQuery(db, sql, { offset: 300 })).rows).toEqual([]);
  });

  it('keeps the order of an ORDER BY across pages', async () => {
    const sql = 'SELECT twin_id FROM twin ORDER BY weight DESC, twin_id';
    const all = rowsOf<{ twin_id: number }>(await db.query(sql)).map((r) => r.twin_id);
    const pages = [];
    for (let offset = 0; offset < 250; offset += 60)
      pages.push(...(await runReadOnlyQuery(db, sql, { offset, limit: 60 })).rows.map((r) => r[0]));
    expect(pages).toEqual(all);
  });

  it('shows numbers as numbers and other types as DuckDB writes them', async () => {
    const page = await runReadOnlyQuery(
      db,
      `SELECT 2::BIGINT AS big, 1.25::DECIMAL(5, 2) AS dec, true AS yes, DATE '2024-01-02' AS day,
              [1.5, 2] AS list, {'a': 3} AS rec, NULL::INTEGER AS nothing`
    );
    expect(page.rows).toEqual([[2, 1.25, 'true', '2024-01-02', '[1.5, 2.0]', "{'a': 3}", null]]);
    expect(page.columns.map((c) => c.type)).toEqual([
      'BIGINT',
      'DECIMAL(5,2)',
      'BOOLEAN',
      'DATE',
      'DECIMAL(11,1)[]',
      'STRUCT(a INTEGER)',
      'INTEGER'
    ]);
  });

  it('runs DESCRIBE, SUMMARIZE, SHOW, PRAGMA table_info and EXPLAIN', async () => {
    const columns = rowsOf<{ column_name: string }>(
      await db.query(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = 'twin' ORDER BY column_index`
      )
    ).map((r) => r.column_name);
    expect((await runReadOnlyQuery(db, 'DESCRIBE twin')).rows.map((r) => r[0])).toEqual(columns);
    expect((await runReadOnlyQuery(db, "PRAGMA table_info('twin')")).rows.map((r) => r[1])).toEqual(columns);
    const summary = await runReadOnlyQuery(db, 'SUMMARIZE SELECT age FROM twin');
    expect(summary.rows).toHaveLength(1);
    expect(summary.rows[0][summary.columns.findIndex((c) => c.name === 'count')]).toBe(250);
    expect((await runReadOnlyQuery(db, 'SHOW TABLES')).rows.map((r) => r[0])).toEqual(
      expect.arrayContaining(['cohort', 'twin', 'women'])
    );
    const plan = await runReadOnlyQuery(db, 'EXPLAIN SELECT count(*) FROM twin');
    expect(plan.statement.kind).toBe('EXPLAIN');
    expect(String(plan.rows[0][1])).toMatch(/SEQ_SCAN|TABLE_SCAN/);
  });

  it('runs a PIVOT with its values listed, and says to list them when DuckDB would make several statements', async () => {
    const pivot = await runReadOnlyQuery(db, "PIVOT twin ON sex IN ('F', 'M') USING count(*)");
    expect(pivot.columns.map((c) => c.name).slice(-2)).toEqual(['F', 'M']);
    await expect(runReadOnlyQuery(db, 'PIVOT twin ON sex USING count(*)')).rejects.toThrow(
      "DuckDB runs this as several statements, and the SQL console runs one (a PIVOT needs its values listed: PIVOT t ON col IN ('a', 'b') USING …)."
    );
  });

  it('reports a query DuckDB cannot run in DuckDB’s words, at the user’s line', async () => {
    await expect(runReadOnlyQuery(db, 'SELECT *\nFROM nowhere')).rejects.toThrow(
      /^Catalog Error: Table with name nowhere does not exist![\s\S]*\(line 2\)$/
    );
    await expect(runReadOnlyQuery(db, 'SELECT * FRM twin')).rejects.toThrow(SqlConsoleError);
  });

  it('lists every table and view with its columns and types', async () => {
    const schema = await workspaceSchema(db);
    // id_counter: the last id given to each kind of record (db/next-id.ts)
    expect(schema.map((t) => `${t.kind} ${t.name}`)).toEqual([
      'table cohort',
      'table id_counter',
      'table twin',
      'view women'
    ]);
    const twin = schema.find((t) => t.name === 'twin')!;
    const expected = rowsOf<{ name: string; type: string }>(
      await db.query(
        `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = 'twin' ORDER BY column_index`
      )
    );
    expect(twin.columns).toEqual(expected);
    expect(schema.find((t) => t.name === 'women')!.columns).toEqual(expected);
  });

  it('refuses every statement that writes, and the database stays as it was', async () => {
    const before = await snapshot(db);
    for (const sql of REFUSED) {
      await expect(runReadOnlyQuery(db, sql), sql).rejects.toThrow(SqlConsoleError);
    }
    expect(await snapshot(db)).toEqual(before);
  });

  it('is read-only in DuckDB too: a write that reaches the read-only session is refused there', async () => {
    const before = await snapshot(db);
    // nextval() is a SELECT that writes (the sequence): only DuckDB can refuse it.
    expect(() => checkReadOnly("SELECT nextval('ids')")).not.toThrow();
    await expect(runReadOnlyQuery(db, "SELECT nextval('ids')")).rejects.toThrow(
      'This query would write to the database, and the SQL console only reads.'
    );
    const session = await db.readOnlySession!();
    try {
      await expect(session.query('DELETE FROM twin')).rejects.toThrow(/read-only/);
      await expect(session.query('SELECT 1; DELETE FROM twin')).rejects.toThrow(/multiple statements/);
    } finally {
      await session.close();
    }
    expect(await snapshot(db)).toEqual(before);
  });

  it("keeps other work's statements out of its transaction (a connection of its own)", async () => {
    const session = await db.readOnlySession!();
    await db.exec('CREATE TABLE written_meanwhile AS SELECT 1 AS x');
    await session.close();
    expect(await scalar(db, 'SELECT count(*)::DOUBLE FROM written_meanwhile')).toBe(1);
    await db.exec('DROP TABLE written_meanwhile');
  });

  it('gives the whole result as a table of numbers and text for export', async () => {
    const table = await readOnlyQueryTable(
      db,
      'SELECT twin_id, sex, true AS flag FROM twin ORDER BY twin_id'
    );
    expect(table.numRows).toBe(250);
    expect(rowsOf(table)[249]).toEqual({ twin_id: 250, sex: expect.any(String), flag: 'true' });
  });

  it('exports a result as CSV and Parquet that DuckDB reads back as it was, NULLs included', async () => {
    const sql = `SELECT * FROM (VALUES (1, 'a', true), (NULL, NULL, NULL), (2.5, 'c', false)) v(x, s, b)`;
    const table = await readOnlyQueryTable(db, sql);
    expect(tableToCsv(table)).toBe('x,s,b\n1,a,true\n,,\n2.5,c,false\n');
    const file = join(mkdtempSync(join(tmpdir(), 'sql-console-')), 'result.parquet');
    writeFileSync(file, new Uint8Array(tableToParquet(table)));
    const native = await NodeConnector.open();
    try {
      expect(rowsOf(await native.query(`SELECT * FROM ${sqlString(file)}`))).toEqual([
        { x: 1, s: 'a', b: 'true' },
        { x: null, s: null, b: null },
        { x: 2.5, s: 'c', b: 'false' }
      ]);
    } finally {
      await native.close();
    }
  });
});

describe('the tokenizer against DuckDB’s own parser', () => {
  let duckdb: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    duckdb = await DuckDBInstance.create(':memory:');
    conn = await duckdb.connect();
  });
  afterAll(() => {
    conn?.closeSync();
    duckdb?.closeSync();
  });

  /** DuckDB's count of statements in `sql`, or undefined when it cannot parse it. */
  async function duckdbCount(sql: string): Promise<number | undefined> {
    try {
      return (await conn.extractStatements(sql)).count;
    } catch {
      return undefined;
    }
  }

  // Statements built from the constructs a scanner can get wrong, each holding text that
  // would be a semicolon, a quote, a comment or a keyword outside it: a scanner that
  // differs from DuckDB's on any of them counts statements differently.
  const text = fc.string({
    unit: fc.constantFrom(';', "'", '"', '\\', '-', '$', 'a', 'E', ' ', '\n', 'DROP TABLE t'),
    maxLength: 12
  });
  const commentText = text.map((t) => t.replace(/[/*]/g, ''));
  const item = fc.oneof(
    text.map((t) => `'${t.replaceAll("'", "''")}'`),
    text.map((t) => `E'${t.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`),
    text.map((t) => `$q$${t}$q$`),
    text.map((t) => `$$${t.replaceAll('$', '')}$$`),
    text.map((t) => `1 AS "${t.replaceAll('"', '""')}x"`),
    fc.constant('1')
  );
  const gap = fc.oneof(
    fc.constant(' '),
    fc.constant('\n'),
    commentText.map((t) => `/*${t}*/`),
    fc.tuple(commentText, commentText, commentText).map(([a, b, c]) => `/*${a}/*${b}*/${c}*/`),
    text.map((t) => `--${t.replaceAll('\n', '')}\n`)
  );
  const statement = fc
    .array(fc.tuple(item, gap), { minLength: 1, maxLength: 4 })
    .map((items) => `SELECT ${items.map(([i, g]) => `${i}${g}`).join(', ')}`);
  const script = fc.tuple(fc.array(statement, { minLength: 1, maxLength: 3 }), gap);

  it('finds the statements DuckDB finds, whatever strings, identifiers and comments hold', async () => {
    await fc.assert(
      fc.asyncProperty(script, async ([statements, after]) => {
        const sql = statements.join(';') + after;
        expect(await duckdbCount(sql), sql).toBe(statements.length);
        const tokens = tokenizeSql(sql);
        expect(
          tokens.filter((t) => t.kind === 'punct' && t.text === ';'),
          sql
        ).toHaveLength(statements.length - 1);
        // One statement is run; more are refused, by counting them as DuckDB does.
        if (statements.length === 1) expect(checkReadOnly(sql).kind).toBe('SELECT');
        else expect(() => checkReadOnly(sql), sql).toThrow(`holds ${statements.length} statements`);
      }),
      { numRuns: 2000 }
    );
  });

  it('accepts nothing DuckDB would read as several statements', async () => {
    // Random joins of fragments: most are not SQL at all, but none that the console
    // accepts is more than one statement to DuckDB.
    const piece = fc.constantFrom(
      'SELECT 1',
      ';',
      "'",
      '"',
      '--',
      '/*',
      '*/',
      "E'",
      '\\',
      '$$',
      '$a$',
      '\n',
      ')'
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const sql = pieces.join('');
        let accepted = true;
        try {
          checkReadOnly(sql);
        } catch (e) {
          if (!(e instanceof SqlConsoleError)) throw e;
          accepted = false;
        }
        const count = await duckdbCount(sql);
        if (accepted && count !== undefined) expect(count, sql).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 }
    );
  });
});
