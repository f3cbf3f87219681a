import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
