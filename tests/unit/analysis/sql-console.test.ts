import { describe, expect, it } from 'vitest';
import { checkReadOnly, SqlConsoleError, sqlName } from '../../../src/lib/analysis/sql-console';
import { tokenizeSql } from '../../../src/lib/analysis/sql-tokens';

/** The message of the SqlConsoleError that checkReadOnly throws for `sql`. */
function refusal(sql: string): SqlConsoleError {
  try {
    checkReadOnly(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(SqlConsoleError);
    return e as SqlConsoleError;
  }
  throw new Error(`not refused: ${sql}`);
}

describe('checkReadOnly', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ["select * from twin where sex = 'F'", 'SELECT'],
    ['  \n-- a note\nSELECT twin_id FROM twin', 'SELECT'],
    ['FROM twin', 'FROM'],
    ['VALUES (1, 2), (3, 4)', 'VALUES'],
    ['TABLE twin', 'TABLE'],
    ['PIVOT twin ON sex USING count(*)', 'PIVOT'],
    ['(SELECT 1) UNION ALL (SELECT 2)', 'SELECT'],
    ['WITH a AS (SELECT 1 AS x) SELECT * FROM a', 'WITH'],
    ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r', 'WITH'],
    ['WITH a AS MATERIALIZED (SELECT 1), b AS (SELECT 2) FROM a, b', 'WITH'],
    // a CTE whose name starts like a write is still a name
    ['with deleted as (select 1) select * from deleted', 'WITH'],
    ['DESCRIBE run', 'DESCRIBE'],
    ['desc twin', 'DESCRIBE'],
    ['SUMMARIZE twin', 'SUMMARIZE'],
    ['SUMMARIZE SELECT age FROM twin', 'SUMMARIZE'],
    ['SHOW TABLES', 'SHOW'],
    ['SHOW ALL TABLES', 'SHOW'],
    ['EXPLAIN SELECT * FROM twin', 'EXPLAIN'],
    ['EXPLAIN ANALYZE SELECT count(*) FROM twin', 'EXPLAIN'],
    ["PRAGMA table_info('run')", 'PRAGMA table_info']
  ])('runs %s as %s', (sql, kind) => {
    expect(checkReadOnly(sql).kind).toBe(kind);
  });

  it.each([
    ['DELETE FROM run', 'DELETE'],
    ['delete from run where run_id = 1', 'DELETE'],
    ['INSERT INTO run VALUES (1)', 'INSERT'],
    ['UPDATE run SET seed = 1', 'UPDATE'],
    ['CREATE TABLE x (a INTEGER)', 'CREATE'],
    ['CREATE OR REPLACE VIEW v AS SELECT 1', 'CREATE'],
    ['DROP TABLE run', 'DROP'],
    ['ALTER TABLE run ADD COLUMN c INTEGER', 'ALTER'],
    ['TRUNCATE run', 'TRUNCATE'],
    ["COPY run TO 'run.csv'", 'COPY'],
    ["COPY (SELECT 1) TO 'x.parquet' (FORMAT parquet)", 'COPY'],
    ["ATTACH 'other.duckdb' AS other", 'ATTACH'],
    ['DETACH other', 'DETACH'],
    ['INSTALL httpfs', 'INSTALL'],
    ['LOAD httpfs', 'LOAD'],
    ['SET threads = 1', 'SET'],
    ['RESET threads', 'RESET'],
    ['CALL pragma_version()', 'CALL'],
    ['PRAGMA version', 'PRAGMA version'],
    ['PRAGMA enable_profiling', 'PRAGMA enable_profiling'],
    ['CHECKPOINT', 'CHECKPOINT'],
    ['VACUUM', 'VACUUM'],
    ['BEGIN TRANSACTION', 'BEGIN'],
    ['COMMIT', 'COMMIT'],
    ['ROLLBACK', 'ROLLBACK'],
    ["EXPORT DATABASE 'dump'", 'EXPORT'],
    ["IMPORT DATABASE 'dump'", 'IMPORT'],
    ['USE memory', 'USE'],
    ['PREPARE p AS SELECT 1', 'PREPARE'],
    ['EXECUTE p', 'EXECUTE'],
    ['MERGE INTO run USING x ON true WHEN MATCHED THEN DELETE', 'MERGE'],
    ['WITH a AS (SELECT 1 AS x) DELETE FROM run WHERE run_id IN (SELECT x FROM a)', 'WITH … DELETE'],
    ['WITH a AS (SELECT 1 AS x) INSERT INTO t SELECT x FROM a', 'WITH … INSERT'],
    ['with a as (select 1) update run set seed = 2', 'WITH … UPDATE'],
    // EXPLAIN ANALYZE runs the statement it explains
    ['EXPLAIN ANALYZE DELETE FROM run', 'DELETE'],
    ['EXPLAIN CREATE TABLE x AS SELECT 1', 'CREATE'],
    ['/* SELECT */ DROP TABLE run', 'DROP'],
    ["-- SELECT 1\nDELETE FROM run WHERE note = 'SELECT'", 'DELETE']
  ])('refuses %s, naming %s and what is allowed', (sql, kind) => {
    const e = refusal(sql);
    expect(e.kind).toBe(kind);
    expect(e.message).toBe(
      `${kind} statements are not run here: the SQL console only reads. It runs SELECT, WITH … SELECT, ` +
        `FROM …, VALUES, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN and PRAGMA table_info('table').`
    );
  });

  it('reads keywords and semicolons in strings, identifiers and comments as text', () => {
    const allowed = [
      "SELECT * FROM twin WHERE sex = 'DELETE FROM run; DROP TABLE twin'",
      "SELECT 'it''s; DROP TABLE run' AS s",
      'SELECT "weird; DROP TABLE run" FROM t',
      'SELECT "a""; DROP TABLE run" FROM t',
      'SELECT 1 -- ; DROP TABLE run',
      'SELECT /* ; DELETE FROM run; */ 1',
      // DuckDB nests block comments: the first */ does not end this one
      'SELECT /* a /* b */ ; DROP TABLE run; */ 1',
      // E'…' strings escape with a backslash: \' does not close them
      "SELECT E'\\'; DROP TABLE run; --' AS s",
      'SELECT $$;DROP TABLE run$$ AS s',
      'SELECT $tag$ ; DELETE FROM run; $tag$ AS s'
    ];
    for (const sql of allowed) expect(checkReadOnly(sql).kind, sql).toBe('SELECT');
  });

  it('sees a semicolon that a string does not hide', () => {
    // In a plain '…' string a backslash is text, so the string ends at \' and the DROP is a statement.
    expect(refusal("SELECT 'a\\'; DROP TABLE run; --'").message).toMatch(/holds 2 statements/);
    // A nested comment that is closed twice: what follows the second */ is code.
    expect(refusal('SELECT /* a /* b */ */ 1; DROP TABLE run').message).toMatch(/holds 2 statements/);
  });

  it('refuses several statements, naming where the second starts', () => {
    expect(refusal('SELECT 1; DELETE FROM run').message).toBe(
      'The text holds 2 statements (the second starts at line 1, column 11); ' +
        'the SQL console runs one statement at a time.'
    );
    expect(refusal('SELECT 1;\nSELECT 2;\n  SELECT 3').message).toMatch(
      /^The text holds 3 statements \(the second starts at line 2, column 1\)/
    );
  });

  it('takes a trailing semicolon, comment or empty statement as the end of the one statement', () => {
    expect(checkReadOnly('SELECT 1;').text).toBe('SELECT 1');
    expect(checkReadOnly('SELECT 1; -- done\n').text).toBe('SELECT 1');
    expect(checkReadOnly(';; SELECT 1 ;;').text).toBe('   SELECT 1');
    // Leading lines are kept, so DuckDB's line numbers are the user's.
    expect(checkReadOnly('-- note\nSELECT 1').text).toBe('-- note\nSELECT 1');
  });

  it('says what is wrong with text that is not a statement', () => {
    expect(refusal('').message).toBe('There is no statement to run.');
    expect(refusal('  -- only a comment\n ; ').message).toBe('There is no statement to run.');
    expect(refusal("SELECT 'open").message).toBe('line 1, column 8: the string starting here is not closed');
    expect(refusal('SELECT 1 /* open').message).toBe(
      'line 1, column 10: the /* comment starting here is not closed'
    );
    expect(refusal('SELECT "open').message).toBe(
      'line 1, column 8: the quoted identifier starting here is not closed'
    );
    expect(refusal('SELECT $$ open').message).toMatch(/\$\$-quoted string starting here is not closed/);
    expect(refusal('42').message).toMatch(/^line 1, column 1: a statement starts with a word such as SELECT/);
    expect(refusal('EXPLAIN').message).toMatch(/EXPLAIN needs a query/);
    expect(refusal('PRAGMA table_info').message).toBe(
      "write PRAGMA table_info as PRAGMA table_info('table')"
    );
  });

  it('refuses parentheses that do not pair, which could close the subquery the console wraps', () => {
    expect(refusal('SELECT 1) UNION (SELECT 2').message).toBe("line 1, column 9: this ')' closes no '('");
    expect(refusal('SELECT (1').message).toBe("line 1, column 8: this '(' is not closed");
    expect(refusal("SELECT 1 FROM t) TO 'x.csv'; COPY (SELECT 1").message).toMatch(/holds 2 statements/);
  });

  it('reads PRAGMA table_info as the table function pragma_table_info', () => {
    expect(checkReadOnly("PRAGMA table_info('run')").relation).toBe("SELECT * FROM pragma_table_info('run')");
    expect(checkReadOnly("pragma TABLE_INFO ( 'twin' );").relation).toBe(
      "SELECT * FROM pragma_table_info( 'twin' )"
    );
  });

  it('runs EXPLAIN as written and everything else as a subquery', () => {
    expect(checkReadOnly('EXPLAIN SELECT 1').relation).toBeNull();
    expect(checkReadOnly('SELECT 1 -- note').relation).toBe('SELECT 1');
  });
});

describe('tokenizeSql', () => {
  it('splits words, strings, identifiers, numbers and punctuation as DuckDB does', () => {
    const tokens = tokenizeSql(`select "A b", E'x\\'y', 1.5e3 /* c */ from t; -- end`);
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'SELECT'],
      ['identifier', '"A b"'],
      ['punct', ','],
      ['string', "E'x\\'y'"],
      ['punct', ','],
      ['number', '1.5e3'],
      ['word', 'FROM'],
      ['word', 'T'],
      ['punct', ';']
    ]);
  });

  it('reads words with $ and non-ASCII letters whole, and $1 as a parameter', () => {
    expect(tokenizeSql('SELECT a$b$, größe, $1').map((t) => t.text)).toEqual([
      'SELECT',
      'A$B$',
      ',',
      'GRÖSSE',
      ',',
      '$1'
    ]);
  });
});

describe('sqlName', () => {
  it('quotes a name only when it has to', () => {
    expect(sqlName('twin')).toBe('twin');
    expect(sqlName('run_name')).toBe('run_name');
    expect(sqlName('My Table')).toBe('"My Table"');
    expect(sqlName('a"b')).toBe('"a""b"');
  });
});
