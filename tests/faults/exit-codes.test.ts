// One exit-code rule for every command: 0 success, 2 bad input or a refused file or spec,
// 1 an internal error (one line asking for a report; the stack only with --debug),
// 128 + n for a signal (tests/faults/signals.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { ROOT, tempDir, twinbench } from './cli';

const dir = tempDir('exit-codes');
const STACK = /\n\s+at /;

/** The type 2 diabetes protocol with an ODE solver allowed 3 steps: every twin fails. */
function failingProtocol(): string {
  const text = readFileSync(join(ROOT, 'protocols/type2-diabetes.yaml'), 'utf8')
    .replace('file: ../cohorts/type2-diabetes.yaml', `file: ${resolve(ROOT, 'cohorts/type2-diabetes.yaml')}`)
    .replace(
      '  model: { file: ../models/pk1cmt_oral_fpg_hba1c.model }\n',
      '  model: pk1cmt_oral+fpg_hba1c\n  solver: { solver: explicit, maxSteps: 3 }\n'
    );
  const path = join(dir, 'failing.yaml');
  writeFileSync(path, text);
  return path;
}

/** A database whose `run` table is not Twinbench's: storing a run fails inside the program. */
async function foreignDatabase(): Promise<string> {
  const path = join(dir, 'foreign.duckdb');
  const db = await NodeConnector.open(path);
  await db.exec('CREATE TABLE run (x INTEGER)');
  await db.close();
  return path;
}

describe('exit codes', () => {
  it("a twin's simulation error is exit 2 with its message, with or without worker threads", () => {
    const protocol = failingProtocol();
    const results = ['0', '2'].map((workers) =>
      twinbench([
        'run',
        protocol,
        '--n',
        '20',
        '--workers',
        workers,
        '--db',
        join(dir, `sim-${workers}.duckdb`)
      ])
    );
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^error: twin \d+, arm [^:]+: .*steps/m);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it('an internal error is exit 1, one line asking for a report, the whole error only with --debug or TWINBENCH_DEBUG', async () => {
    const db = await foreignDatabase();
    const args = ['run', 'protocols/antihypertensive-combination.yaml', '--n', '40', '--db', db];
    const plain = twinbench(args);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(
      /^twinbench failed: .+ \(please report this at the Twinbench issue tracker, with the command you ran; rerun with --debug for details\)$/m
    );
    expect(plain.stderr).not.toMatch(STACK);
    for (const debug of [
      twinbench(['--debug', ...args]),
      twinbench([...args, '--debug']),
      twinbench(args, { TWINBENCH_DEBUG: '1' })
    ]) {
      expect(debug.code).toBe(1);
      // The whole error after the one line (DuckDB's errors carry the query, not JS frames).
      expect(debug.stderr).toMatch(/\nError: Binder Error.*\n\S/);
    }
  });

  it('input the program refuses is exit 2: a covariate of another type, a power size too small, a truth sample of half a twin', async () => {
    const path = join(dir, 'covariates.duckdb');
    const db = await NodeConnector.open(path);
    await db.exec(`CREATE TABLE twin (cohort_id INTEGER NOT NULL, twin_id INTEGER NOT NULL, weight VARCHAR)`);
    await db.close();
    const covariate = twinbench(['cohort', 'cohorts/adults-nhanes.yaml', '--n', '50', '--db', path]);
    expect(covariate.code, covariate.stderr).toBe(2);
    expect(covariate.stderr).toMatch(
      /^error: covariate 'weight' is DOUBLE here but VARCHAR in an earlier cohort/m
    );
    const power = twinbench([
      'power',
      'protocols/antihypertensive-combination.yaml',
      '--n',
      '4',
      '--replicates',
      '2'
    ]);
    expect(power.code, power.stderr).toBe(2);
    expect(power.stderr).toMatch(/--n.*4/);
    const truth = twinbench([
      'power',
      'protocols/type2-diabetes-estimands.yaml',
      '--n',
      '30',
      '--truth-twins',
      '0.5'
    ]);
    expect(truth.code, truth.stderr).toBe(2);
    expect(truth.stderr).toMatch(/--truth-twins takes a whole number ≥ 1 or all, got '0.5'/);
    for (const r of [covariate, power, truth]) expect(r.stderr).not.toMatch(STACK);
  });
});
