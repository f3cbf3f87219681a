// CSV files that are not what they seem: a malformed line is reported by its number (DuckDB's
// sniffer used to read such a file as one column, and `describe` printed a 2,000-level
// "categorical" with exit 0); a repeated header name, text in a number column and ±Inf/NaN
// are named by column and row, quoting the file's own text.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from './cli';
import {
  expectAllRefused,
  expectNothingStoredThenImport,
  expectRefused,
  GOOD_ROWS,
  HEADER,
  readThreeWays,
  write
} from './data-files';

const dir = tempDir('csv');
const db = join(dir, 'cohorts.duckdb');
/** A CSV with the good rows, row `at` (1-based) replaced by `line`. */
const csv = (name: string, at: number, line: string, header = HEADER) =>
  write(dir, name, [header, ...GOOD_ROWS.map((r, i) => (i === at - 1 ? line : r))].join('\n') + '\n');

describe('malformed CSV files: every command refuses them with the line or row', () => {
  it('a short row early in the file', () => {
    const path = csv('short.csv', 2, 'B,71');
    expectAllRefused(readThreeWays(dir, path, db), `${path}: line 3 has 2 fields but the header has 3`);
  });

  it('a long row early in the file', () => {
    const path = csv('long.csv', 1, 'A,34,61.5,extra');
    expectAllRefused(readThreeWays(dir, path, db), `${path}: line 2 has 4 fields but the header has 3`);
  });

  it('a quoted value that is never closed', () => {
    const path = csv('quote.csv', 3, 'A,"55,102.3');
    expectAllRefused(readThreeWays(dir, path, db), `${path}: line 4: a quoted value is not closed`);
  });

  it('a file separated by semicolons', () => {
    const path = write(dir, 'semicolons.csv', 'arm;age;weight\nA;34;61.5\nB;71;88\n');
    expectAllRefused(
      readThreeWays(dir, path, db),
      `${path}: line 1 has one column 'arm;age;weight'; fields must be separated by commas`
    );
  });

  it('a repeated header name, naming both columns', () => {
    const path = csv('dup.csv', 0, '', 'arm,weight,weight');
    expectAllRefused(
      readThreeWays(dir, path, db),
      `${path}: line 1: columns 2 and 3 are both named 'weight'; column names must be unique`
    );
  });

  it("'Inf' and 'NaN' in a number column: refused by column and row, quoted as written", () => {
    const inf = csv('inf.csv', 4, 'B,19,Inf');
    expectAllRefused(
      readThreeWays(dir, inf, db),
      `${inf}: row 4 (line 5): column 'weight' holds 'Inf', which is not a finite number`
    );
    const nan = csv('nan.csv', 2, 'B,NaN,88.0');
    expectAllRefused(
      readThreeWays(dir, nan, db),
      `${nan}: row 2 (line 3): column 'age' holds 'NaN', which is not a finite number`
    );
  });

  it("'abc' in a number column: describe reads it as text and says why; import and analyze refuse it", () => {
    const path = csv('abc.csv', 2, 'B,71,abc');
    const r = readThreeWays(dir, path, db);
    expect(r.describe.code, r.describe.stderr).toBe(0);
    expect(r.describe.stderr).toContain(
      `note: ${path}: column 'weight' is read as text: row 2 (line 3) holds 'abc', which is not a number`
    );
    expect(r.describe.stdout).toMatch(/weight, n \(%\)\n(.*\n)*\s+abc\s+1 \(16\.7%\)/);
    expectRefused(
      r.cohort,
      `${path}: row 2 (line 3): column 'weight' holds 'abc', which is not a number ` +
        `(list it under import.categorical if the column is categorical)`,
      'cohort'
    );
    expectRefused(
      r.analyze,
      `column 'weight' holds 'abc' at row 2 (line 3), which is not a finite number`,
      'analyze'
    );
  });

  it('rows are named without a line number when a blank line makes lines and rows differ', () => {
    const path = write(
      dir,
      'blank.csv',
      [HEADER, GOOD_ROWS[0], '', GOOD_ROWS[1], 'A,55,-inf'].join('\n') + '\n'
    );
    expectAllRefused(
      readThreeWays(dir, path, db),
      `${path}: row 3: column 'weight' holds '-inf', which is not a finite number`
    );
  });

  it('left nothing in the database, which takes the next good import', async () => {
    await expectNothingStoredThenImport(dir, db);
  });
});
