// Data files that are missing, not files, empty, without rows or of a shape Twinbench cannot
// read: each command that reads one (describe, cohort import, analyze) exits 2 with a
// message naming the file; a zero-row result is an ordinary result, never a TypeError.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqlString } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { tempDir } from './cli';
import { expectAllRefused, expectNothingStoredThenImport, HEADER, readThreeWays, write } from './data-files';

const dir = tempDir('files');
const db = join(dir, 'cohorts.duckdb');

describe('data files that cannot be read: every command refuses them', () => {
  let duck: NodeConnector;
  /** A Parquet file written by DuckDB from a query. */
  const parquet = async (name: string, select: string) => {
    const path = join(dir, name);
    await duck.exec(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet)`);
    return path;
  };
  beforeAll(async () => {
    duck = await NodeConnector.open();
  });
  afterAll(() => duck.close());

  it('a missing file', () => {
    const path = join(dir, 'missing.csv');
    expectAllRefused(readThreeWays(dir, path, db), `${path}: no such file`);
  });

  it('a directory', () => {
    const path = join(dir, 'folder.csv');
    mkdirSync(path);
    expectAllRefused(readThreeWays(dir, path, db), `${path}: is a directory, not a file`);
  });

  it('an empty CSV and an empty Parquet file', () => {
    const csv = write(dir, 'empty.csv', '');
    expectAllRefused(readThreeWays(dir, csv, db), `${csv}: the file is empty`);
    const pq = write(dir, 'empty.parquet', '');
    expectAllRefused(readThreeWays(dir, pq, db), `${pq}: the file is empty`);
  });

  it('a CSV with only a header and a Parquet file with no rows', async () => {
    const csv = write(dir, 'header.csv', `${HEADER}\n`);
    expectAllRefused(readThreeWays(dir, csv, db), `${csv}: has no rows (only a header)`);
    const pq = await parquet('zero.parquet', `SELECT 'A' AS arm, 34 AS age, 61.5 AS weight WHERE false`);
    expectAllRefused(readThreeWays(dir, pq, db), `${pq}: has no rows`);
  });

  it('a Parquet file with a list or struct column, naming the column', async () => {
    const list = await parquet(
      'list.parquet',
      `SELECT arm, 40 AS age, 70.5 AS weight, [1.0, 2.5]::DOUBLE[] AS doses FROM (VALUES ('A'), ('B')) v(arm)`
    );
    expectAllRefused(
      readThreeWays(dir, list, db),
      `${list}: column 'doses' is a list (DOUBLE[]); each column must hold one number or text per row`
    );
    const struct = await parquet(
      'struct.parquet',
      `SELECT arm, 40 AS age, 70.5 AS weight, {'sbp': 120} AS bp FROM (VALUES ('A'), ('B')) v(arm)`
    );
    expectAllRefused(
      readThreeWays(dir, struct, db),
      `${struct}: column 'bp' is a struct (STRUCT(sbp INTEGER))`
    );
  });

  it('a Parquet file with ±Inf or NaN, naming the column and row', async () => {
    const path = await parquet(
      'inf.parquet',
      `SELECT * FROM (VALUES ('A', 34, 61.5::DOUBLE), ('B', 71, 'inf'::DOUBLE), ('A', 55, 'nan'::DOUBLE)) v(arm, age, weight)`
    );
    expectAllRefused(
      readThreeWays(dir, path, db),
      `${path}: row 2: column 'weight' holds 'inf', which is not a finite number`
    );
  });

  it('a file that is not what its name says', () => {
    const path = write(dir, 'text.parquet', 'arm,age,weight\nA,1,2\n');
    expectAllRefused(readThreeWays(dir, path, db), new RegExp(`${path}: cannot be read as Parquet: .+`));
  });

  it('left nothing in the database, which takes the next good import', async () => {
    await expectNothingStoredThenImport(dir, db);
  });
});
