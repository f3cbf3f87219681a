import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, sqlString } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';

const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'twinbench-sql-'));
const dbFile = join(dir, 'workspace.duckdb');

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The database file's bytes and modification time: a read-only command changes neither. */
function fingerprint(path: string) {
  return {
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    mtime: statSync(path).mtimeMs
  };
}

/** Rows of a query on the workspace, read directly (not through the console). */
async function direct(sql: string) {
  const db = await NodeConnector.open(':memory:');
  try {
    await db.exec(`ATTACH ${sqlString(dbFile)} AS w (READ_ONLY); USE w`);
    return rowsOf(await db.query(sql));
  } finally {
    await db.close();
  }
}

describe('twinbench sql', () => {
  beforeAll(async () => {
    const db = await NodeConnector.open(dbFile);
    const spec = loadCohortSpec(readFileSync('cohorts/adults-nhanes.yaml', 'utf8'));
    await generateCohort({ db, pool: nodeWorkerPool(0), spec, n: 150, seed: 5 });
    await db.close();
  });

  it('refuses a statement that writes with exit 2 and leaves the database file untouched', () => {
    const before = fingerprint(dbFile);
    const refusals = {
      'DELETE FROM twin':
        "error: DELETE statements are not run here: the SQL console only reads. It runs SELECT, WITH … SELECT, FROM …, VALUES, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN and PRAGMA table_info('table').\n",
      'SELECT 1; DROP TABLE twin':
        'error: The text holds 2 statements (the second starts at line 1, column 11); the SQL console runs one statement at a time.\n',
      CHECKPOINT: /^error: CHECKPOINT statements are not run here/
    };
    for (const [sql, message] of Object.entries(refusals)) {
      const r = twinbench('sql', sql, '--db', dbFile);
      expect(r.code, sql).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    // A query that runs opens the file read-only: nothing is written to it either.
    expect(twinbench('sql', 'SELECT count(*) FROM twin', '--db', dbFile).code).toBe(0);
    expect(fingerprint(dbFile)).toEqual(before);
  });

  it('prints a page of rows as a table, CSV or JSON, with the total', async () => {
    const sql = 'SELECT twin_id, sex, age FROM twin ORDER BY twin_id';
    const expected = await direct(`${sql} LIMIT 3 OFFSET 10`);

    const table = twinbench('sql', sql, '--db', dbFile, '--offset', '10', '--limit', '3');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^twin_id\s+sex\s+age$/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/))).toEqual(
      expected.map((r) => [String(r.twin_id), String(r.sex), String(r.age)])
    );
    expect(table.stderr).toBe('rows 11–13 of 150 (--offset and --limit for others, --out for all)\n');

    const csv = twinbench('sql', sql, '--db', dbFile, '--offset', '10', '--limit', '3', '--format', 'csv');
    expect(csv.stdout).toBe(
      ['twin_id,sex,age', ...expected.map((r) => `${r.twin_id},${r.sex},${r.age}`)].join('\n') + '\n'
    );

    const json = JSON.parse(
      twinbench('sql', sql, '--db', dbFile, '--offset', '10', '--limit', '3', '--format', 'json').stdout
    );
    expect(json.total).toBe(150);
    expect(json.offset).toBe(10);
    expect(json.columns.map((c: { name: string }) => c.name)).toEqual(['twin_id', 'sex', 'age']);
    expect(json.rows).toEqual(expected);
  });

  it('writes the whole result to CSV or Parquet with --out', async () => {
    const sql = 'SELECT twin_id, sex, weight FROM twin WHERE age > 40 ORDER BY twin_id';
    const expected = await direct(sql);
    for (const file of ['result.csv', 'result.parquet']) {
      const out = join(dir, file);
      const r = twinbench('sql', sql, '--db', dbFile, '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${out}: ${expected.length} rows written\n`);
      const back = await direct(`SELECT * FROM ${sqlString(out)} ORDER BY twin_id`);
      expect(back).toEqual(expected);
    }
  });

  it('says what is wrong with bad input, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [
        ['SELECT * FRM twin', '--db', dbFile],
        /^error: Parser Error: syntax error at or near "twin" \(line 1\)\n$/
      ],
      [['SELECT 1', '--db', join(dir, 'missing.duckdb')], /missing\.duckdb: no such database file/],
      [['SELECT 1', '--db', join(dir, 'result.csv')], /is not a DuckDB database file/],
      [
        ['SELECT 1', '--db', dbFile, '--out', join(dir, 'x.txt')],
        /x\.txt: unknown file type; use a \.csv or \.parquet file/
      ],
      [
        ['EXPLAIN SELECT 1', '--db', dbFile, '--out', join(dir, 'x.csv')],
        /EXPLAIN output cannot be written to a file/
      ],
      [['SELECT 1', '--db', dbFile, '--format', 'xml'], /Allowed choices are table, csv, json/],
      [['SELECT 1', '--db', dbFile, '--limit', '0'], /--limit must be a whole number ≥ 1/],
      [["SELECT 'open", '--db', dbFile], /line 1, column 8: the string starting here is not closed/]
    ];
    for (const [args, message] of cases) {
      const r = twinbench('sql', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
