// A data file given to each command that reads one: `describe`, `cohort` (through a cohort
// spec that imports it, into a --db file) and `analyze`. For the file fault tests.
import { expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { rowsOf } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { twinbench, type CliResult } from './cli';

/** Columns every test file has, so that one file serves all three commands. */
export const HEADER = 'arm,age,weight';
export const GOOD_ROWS = ['A,34,61.5', 'B,71,88.0', 'A,55,102.3', 'B,19,70.1', 'A,45,95.0', 'B,62,77.7'];

export interface ThreeWays {
  describe: CliResult;
  cohort: CliResult;
  analyze: CliResult;
}

/** Writes `name` in `dir` and returns its path. */
export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs describe, a cohort import into `db` and analyze on the data file `path`. */
export function readThreeWays(dir: string, path: string, db: string): ThreeWays {
  const spec = write(dir, `import-${basename(path)}.yaml`, `name: imported\nimport: { file: '${path}' }\n`);
  return {
    describe: twinbench(['describe', path]),
    cohort: twinbench(['cohort', spec, '--db', db]),
    analyze: twinbench([
      'analyze',
      path,
      '--arm',
      'arm',
      '--control',
      'A',
      '--endpoint',
      'weight',
      '--type',
      'continuous'
    ])
  };
}

/** Exit 2, the message on stderr, nothing on stdout and no stack trace. */
export function expectRefused(r: CliResult, message: string | RegExp, label: string): void {
  expect(r.code, `${label}: ${r.stderr}`).toBe(2);
  if (typeof message === 'string') expect(r.stderr, label).toContain(message);
  else expect(r.stderr, label).toMatch(message);
  expect(r.stderr, label).not.toMatch(/\n\s+at |TypeError|ENOENT|EISDIR/);
  expect(r.stdout, label).toBe('');
}

/** Every command refuses the file with the same message. */
export function expectAllRefused(r: ThreeWays, message: string | RegExp): void {
  expectRefused(r.describe, message, 'describe');
  expectRefused(r.cohort, message, 'cohort');
  expectRefused(r.analyze, message, 'analyze');
}

/**
 * After the refusals, the --db file holds no cohort, and a good file imports into it
 * (a refused file writes nothing and leaves the database usable).
 */
export async function expectNothingStoredThenImport(dir: string, db: string): Promise<void> {
  const good = write(dir, 'good.csv', [HEADER, ...GOOD_ROWS].join('\n') + '\n');
  const spec = write(dir, 'good.yaml', `name: good\nimport: { file: '${good}' }\n`);
  const r = twinbench(['cohort', spec, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  const conn = await NodeConnector.open(db);
  try {
    const cohorts = rowsOf<{ name: string; status: string; n: number }>(
      await conn.query(
        `SELECT name, status, (SELECT count(*) FROM twin t WHERE t.cohort_id = c.cohort_id)::DOUBLE AS n FROM cohort c`
      )
    );
    expect(cohorts).toEqual([{ name: 'good', status: 'complete', n: GOOD_ROWS.length }]);
  } finally {
    await conn.close();
  }
}
