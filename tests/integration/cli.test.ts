import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';

const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'twinbench-cli-'));

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('twinbench CLI', () => {
  it('lists its commands, each with help', () => {
    const help = twinbench('--help');
    expect(help.code).toBe(0);
    for (const cmd of ['cohort', 'describe', 'validate', 'serve']) expect(help.stdout).toContain(cmd);
    const cohortHelp = twinbench('cohort', '--help');
    expect(cohortHelp.stdout).toMatch(/--n <n>[\s\S]*--seed[\s\S]*--out[\s\S]*--workers/);
  });

  it('generates a cohort, prints Table 1 and writes CSV and Parquet that describe reads back', () => {
    const csv = join(dir, 'twins.csv');
    const parquet = join(dir, 'twins.parquet');
    const r = twinbench(
      'cohort',
      'cohorts/adults-nhanes.yaml',
      '--n',
      '500',
      '--seed',
      '7',
      '--out',
      csv,
      '--workers',
      '1'
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/500 twins enrolled of \d+ screened \(seed 7\)/);
    expect(r.stdout).toMatch(/^n\s+500$/m);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['twin_id', 'sex', 'age']);
    expect(lines).toHaveLength(501);
    expect(lines[1].startsWith('1,')).toBe(true);

    expect(
      twinbench('cohort', 'cohorts/adults-nhanes.yaml', '--n', '500', '--seed', '7', '--out', parquet).code
    ).toBe(0);
    const fromCsv = twinbench('describe', csv);
    const fromParquet = twinbench('describe', parquet, '--by', 'sex');
    expect(fromCsv.code).toBe(0);
    expect(fromCsv.stdout).toMatch(/^n\s+500$/m);
    expect(fromParquet.stdout).toMatch(/by sex\s+F\s+M/);
    // Same seed, same twins: the CSV and Parquet exports describe identically.
    expect(twinbench('describe', parquet).stdout).toBe(fromCsv.stdout);
  });

  it('exits 2 with the field path and line for a bad spec, writing nothing', () => {
    const bad = join(dir, 'bad.yaml');
    const out = join(dir, 'never.csv');
    writeFileSync(
      bad,
      readFileSync('cohorts/adults-nhanes.yaml', 'utf8').replace(
        'levels: { F: 0.51, M: 0.49 }',
        'levels: { F: 0.6, M: 0.49 }'
      )
    );
    const r = twinbench('cohort', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /line \d+: covariates\[0\]\.levels: probabilities must sum to 1, but they sum to 1\.09/
    );
    expect(() => readFileSync(out)).toThrow();
    const v = twinbench('validate', bad);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('covariates[0].levels');
  });

  it('runs a trial into a DuckDB file and Parquet files, with dense profiles on request', async () => {
    const db = join(dir, 'trial', 'run.duckdb');
    const out = join(dir, 'trial-out');
    const r = twinbench(
      'run',
      'protocols/antihypertensive-dose-ranging.yaml',
      '--n',
      '60',
      '--dense',
      '1w',
      '--db',
      db,
      '--out',
      out
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/run 1 complete in [\d.]+ s: 60 assignment, \d+ observation/);
    expect(r.stderr).toMatch(/cohort: 60 in/);
    expect(r.stderr).toMatch(/twins: 60 in/);
    const files = ['run', 'assignment', 'observation', 'event', 'endpoint'].map((t) =>
      join(out, `${t}.parquet`)
    );
    const check = await NodeConnector.open();
    // Weekly profiles over 12 weeks: 13 grid times per twin and output, in the file as in the database.
    const [fromFile] = rowsOf<{ n: number; times: number }>(
      await check.query(
        `SELECT count(*)::DOUBLE AS n, count(DISTINCT time_h)::DOUBLE AS times FROM '${files[2]}'`
      )
    );
    expect(fromFile.times).toBe(13);
    await check.exec(`ATTACH '${db}' AS trial (READ_ONLY)`);
    expect(await scalar(check, `SELECT count(*)::DOUBLE FROM trial.observation`)).toBe(fromFile.n);
    expect(await scalar(check, `SELECT status FROM trial.run`)).toBe('complete');
    for (const f of files)
      expect(await scalar(check, `SELECT count(*)::DOUBLE FROM '${f}'`)).toBeGreaterThan(0);
    await check.close();

    // --no-dense: BM1 keeps its hourly samples, as rows rather than stored profiles.
    const visitsOnly = join(dir, 'bm1.duckdb');
    expect(twinbench('run', 'protocols/bm1.yaml', '--n', '20', '--no-dense', '--db', visitsOnly).code).toBe(
      0
    );
    const bm1 = await NodeConnector.open(visitsOnly);
    expect(await scalar(bm1, `SELECT count(*)::DOUBLE FROM observation`)).toBe(20 * 2 * 673);
    expect(await scalar(bm1, `SELECT count(*)::DOUBLE FROM profile_data`)).toBe(0);
    await bm1.close();
  }, 120_000);

  it('refuses a bad protocol or run option with exit 2 and writes no run', async () => {
    const bad = join(dir, 'bad-protocol.yaml');
    writeFileSync(
      bad,
      readFileSync('protocols/antihypertensive-dose-ranging.yaml', 'utf8')
        .replace('../cohorts/', `${process.cwd()}/cohorts/`)
        .replace('dose: 5,', 'dose: -5,')
    );
    const db = join(dir, 'refused.duckdb');
    const r = twinbench('run', bad, '--n', '10', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line \d+.*arms\[2\]\.regimen\.dose: a dose must not be negative/);
    const dense = twinbench('run', 'protocols/bm1.yaml', '--dense', '0', '--db', db);
    expect(dense.code).toBe(2);
    expect(dense.stderr).toContain('--dense must be a time greater than 0');
    for (const x of [r, dense]) expect(x.stderr).not.toMatch(/\n\s+at /);
    const refused = await NodeConnector.open(db);
    expect(
      await scalar(refused, `SELECT count(*)::DOUBLE FROM information_schema.tables WHERE table_name = 'run'`)
    ).toBe(0);
    await refused.close();
  });

  it('exits 2 for bad options and unreadable files, never with a stack trace', () => {
    const badN = twinbench('cohort', 'cohorts/adults-nhanes.yaml', '--n', '0');
    expect(badN.code).toBe(2);
    expect(badN.stderr).toContain('--n must be a whole number ≥ 1');
    const badOut = twinbench('cohort', 'cohorts/adults-nhanes.yaml', '--out', 'twins.xlsx');
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toMatch(/use a \.csv or \.parquet file/);
    const d = twinbench('describe', join(dir, 'missing.csv'));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/no such file/);
    for (const r of [badN, badOut, d]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
