import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsOf } from '../../src/lib/db/connector';
import { getCohort, twinsSql } from '../../src/lib/db/cohort-store';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { openFileTable } from '../../src/lib/io/file-table';
import { readImportedTable, TwinFileError } from '../../src/lib/io/twin-file';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';
import { SpecError } from '../../src/lib/spec/issues';

const dir = mkdtempSync(join(tmpdir(), 'twinbench-import-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const REAL = [
  'sex,age,weight,height',
  'F,34,61.5,165',
  'M,71,88.0,178',
  'F,55,102.3,160',
  'M,19,70.1,181',
  'M,45,95.0,176'
].join('\n');

const spec = (extra = '') =>
  loadCohortSpec(`name: imported\nseed: 3\nn: 1000\nimport: { file: real.csv, bootstrap: true }\n${extra}`);

describe('twins imported from a file', () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(() => db.close());

  it('reads text columns as categories and numbers as numbers', async () => {
    const table = await readImportedTable(db, file('real.csv', REAL));
    expect(table.rows).toBe(5);
    expect(table.columns.map((c) => c.name)).toEqual(['sex', 'age', 'weight', 'height']);
    expect(table.columns[0].levels).toEqual(['F', 'M']);
    expect([...table.columns[0].values]).toEqual([0, 1, 0, 1, 1]);
    expect([...table.columns[2].values]).toEqual([61.5, 88, 102.3, 70.1, 95]);
  });

  it('bootstraps to N with criteria and derived covariates, deterministically', async () => {
    const imported = await readImportedTable(db, file('real.csv', REAL));
    const s = spec(`derived:\n  - { name: bmi, formula: bmi }\ncriteria:\n  - age >= 20\n`);
    const pool = nodeWorkerPool(0);
    const a = await generateCohort({ db, pool, spec: s, imported, chunkSize: 300 });
    const b = await generateCohort({ db, pool, spec: s, imported, chunkSize: 1000 });
    const rows = async (id: number) => rowsOf(await db.query(twinsSql(await getCohort(db, id))));
    const ra = await rows(a.cohortId);
    expect(ra).toHaveLength(1000);
    expect(await rows(b.cohortId)).toEqual(ra);
    // The 19-year-old never passes; every twin is one of the other four rows.
    expect(ra.every((r) => (r.age as number) >= 20)).toBe(true);
    expect(new Set(ra.map((r) => r.age))).toEqual(new Set([34, 71, 55, 45]));
    const r0 = ra[0] as { weight: number; height: number; bmi: number };
    expect(r0.bmi).toBeCloseTo(r0.weight / (r0.height / 100) ** 2, 12);
    expect(a.screening.criteria[0].failedAny).toBeGreaterThan(0);
  });

  it('takes rows in file order without bootstrap', async () => {
    const imported = await readImportedTable(db, file('real.csv', REAL));
    const s = loadCohortSpec(`name: as-is\nimport: { file: real.csv }\ncriteria: [ "sex == 'M'" ]\n`);
    const r = await generateCohort({ db, pool: nodeWorkerPool(0), spec: s, imported });
    const twins = rowsOf<{ twin_id: number; age: number }>(
      await db.query(twinsSql(await getCohort(db, r.cohortId)))
    );
    expect(twins.map((t) => [t.twin_id, t.age])).toEqual([
      [1, 71],
      [2, 19],
      [3, 45]
    ]);
  });

  it('reports a number column with text in it by row and line', async () => {
    const bad = file('typo.csv', REAL.replace('88.0', '88o0'));
    await expect(readImportedTable(db, bad)).rejects.toThrow(
      `${bad}: row 2 (line 3): column 'weight' holds '88o0', which is not a number`
    );
  });

  it('reports an empty cell by row and line', async () => {
    const bad = file('empty.csv', REAL.replace('55,102.3', '55,'));
    await expect(readImportedTable(db, bad)).rejects.toThrow(
      `${bad}: row 3 (line 4): column 'weight' is empty`
    );
  });

  it('types CSV columns from all their values, as the file writes them', async () => {
    const path = file(
      'types.csv',
      [
        'id,code,dose,stage',
        '1,007,1e2,3a',
        '2,12,2.5, 3b',
        '3,+4,-0.25,3a',
        ...Array(20).fill('4,5,6,2')
      ].join('\n')
    );
    const table = await openFileTable(db, path);
    try {
      expect(table.columns).toEqual([
        { name: 'id', kind: 'integer' },
        { name: 'code', kind: 'integer' },
        { name: 'dose', kind: 'number' },
        // 20 of 23 values are numbers: text, with its first non-number and a note
        { name: 'stage', kind: 'text', firstText: { row: 1, text: '3a' } }
      ]);
      expect(table.notes).toEqual([
        `column 'stage' is read as text: row 1 (line 2) holds '3a', which is not a number`
      ]);
      const rows = rowsOf(await db.query(`${table.relation} LIMIT 3`));
      expect(rows).toEqual([
        { id: 1, code: 7, dose: 100, stage: '3a' },
        { id: 2, code: 12, dose: 2.5, stage: ' 3b' },
        { id: 3, code: 4, dose: -0.25, stage: '3a' }
      ]);
    } finally {
      await table.drop();
    }
    // listed as categorical, the same column is a category with the file's own text
    const imported = await readImportedTable(db, path, ['stage']);
    expect(imported.columns.find((c) => c.name === 'stage')?.levels).toEqual([' 3b', '2', '3a']);
    expect(rowsOf(await db.query(`SELECT * FROM duckdb_tables() WHERE temporary`))).toEqual([]);
  });

  it('refuses ±Inf and NaN in imported numbers, quoting the file, and never compiles them into a cohort', async () => {
    const bad = file('inf.csv', REAL.replace('102.3', '-Infinity'));
    await expect(readImportedTable(db, bad)).rejects.toThrow(
      `${bad}: row 3 (line 4): column 'weight' holds '-Infinity', which is not a finite number`
    );
    // an imported table made elsewhere is held to the same rule when the cohort compiles
    const imported = await readImportedTable(db, file('real.csv', REAL));
    imported.columns[2].values[3] = NaN;
    expect(() => loadCohortSpec(`name: x\nimport: { file: real.csv }\n`, 'x.yaml', imported)).toThrow(
      /import: column 'weight', row 4: NaN is not a finite number/
    );
  });

  it('reports files with no rows, unknown types and unreadable content', async () => {
    await expect(readImportedTable(db, file('none.csv', 'sex,age\n'))).rejects.toThrow(/has no rows/);
    await expect(readImportedTable(db, file('twins.xlsx', 'x'))).rejects.toThrow(
      /use a \.csv or \.parquet file/
    );
    await expect(readImportedTable(db, file('broken.parquet', 'not parquet'))).rejects.toBeInstanceOf(
      TwinFileError
    );
  });

  it('refuses covariates and import together, and criteria on columns the file lacks', async () => {
    const imported = await readImportedTable(db, file('real.csv', REAL));
    const text = `name: x\nimport: { file: real.csv }\ncriteria: [ "egfr > 30" ]\n`;
    try {
      loadCohortSpec(text, 'x.yaml', imported);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).message).toMatch(
        /x\.yaml:line 3: criteria\[0\]: unknown variable 'egfr' \(known: sex, age, weight, height\)/
      );
    }
  });
});
