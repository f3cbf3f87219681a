// `--db` must be a DuckDB database file or a path where one can be created: any other
// file (a CSV, a Parquet file, an empty file, a directory) is refused before anything runs.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scalar } from '../../src/lib/db/connector';
import { DatabaseFileError, NodeConnector } from '../../src/lib/db/node-connector';
import { tempDir, twinbench } from './cli';

const dir = tempDir('db-file');
const PROTOCOL = 'protocols/antihypertensive-combination.yaml';
const COHORT = 'cohorts/adults-nhanes.yaml';

/** A file that is not a database, and the bytes it must still hold after being refused. */
function notADatabase(name: string, content: string | Buffer): { path: string; bytes: Buffer } {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, bytes: readFileSync(path) };
}

describe('a --db file that is not a DuckDB database', () => {
  it('a CSV file is refused by run, cohort and power (exit 2) and left as it was', async () => {
    const csv = notADatabase('twins.csv', 'twin_id,weight\n1,70\n2,80\n');
    for (const args of [
      ['run', PROTOCOL, '--n', '40', '--db', csv.path],
      ['cohort', COHORT, '--n', '40', '--db', csv.path],
      ['power', PROTOCOL, '--n', '40', '--replicates', '2', '--db', csv.path]
    ]) {
      const r = twinbench(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`${csv.path} is not a DuckDB database file`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(csv.path)).toEqual(csv.bytes);
    }
  });

  it('a Parquet file is refused (exit 2) and left as it was', async () => {
    const path = join(dir, 'twins.parquet');
    const db = await NodeConnector.open();
    await db.exec(`COPY (SELECT 1 AS twin_id, 70.0 AS weight) TO '${path}' (FORMAT parquet)`);
    await db.close();
    const before = readFileSync(path);
    const r = twinbench(['run', PROTOCOL, '--n', '40', '--db', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path} is not a DuckDB database file`);
    expect(readFileSync(path)).toEqual(before);
  });

  it('an empty file and a directory are refused with a message', () => {
    const empty = notADatabase('empty.duckdb', '');
    const folder = join(dir, 'folder.duckdb');
    mkdirSync(folder);
    const e = twinbench(['run', PROTOCOL, '--n', '40', '--db', empty.path]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`${empty.path} is an empty file, not a DuckDB database`);
    expect(statSync(empty.path).size).toBe(0);
    const d = twinbench(['cohort', COHORT, '--n', '40', '--db', folder]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`${folder} is a directory`);
  });

  it('analyze refuses a file named .duckdb that is not one', () => {
    const fake = notADatabase('fake.duckdb', 'arm,y\na,1\n');
    const r = twinbench(['analyze', fake.path, '--control', 'a', '--endpoint', 'y', '--type', 'continuous']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${fake.path} is not a DuckDB database file`);
  });

  it('NodeConnector.open refuses it too, and opens a real database file or a new path', async () => {
    const csv = notADatabase('more.csv', 'a,b\n1,2\n');
    await expect(NodeConnector.open(csv.path)).rejects.toBeInstanceOf(DatabaseFileError);
    const path = join(dir, 'real.duckdb');
    const created = await NodeConnector.open(path);
    await created.exec('CREATE TABLE t AS SELECT 42 AS x');
    await created.close();
    const reopened = await NodeConnector.open(path);
    expect(await scalar(reopened, 'SELECT x FROM t')).toBe(42);
    await reopened.close();
  });

  it('a database file that is in use by another process is refused with a message', async () => {
    const path = join(dir, 'busy.duckdb');
    const db = await NodeConnector.open(path);
    await db.exec('CREATE TABLE t (x INTEGER)');
    try {
      const r = twinbench(['run', PROTOCOL, '--n', '40', '--db', path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${path} is in use by another process`);
    } finally {
      await db.close();
    }
  });

  it('a real database file is accepted and the next run works', () => {
    const path = join(dir, 'ok.duckdb');
    const first = twinbench(['run', PROTOCOL, '--n', '40', '--db', path]);
    expect(first.code, first.stderr).toBe(0);
    const second = twinbench(['run', PROTOCOL, '--n', '40', '--db', path]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/run 2 complete/);
  });
});
