// Output files are whole or absent: a write that fails (a full disk, here a file-size
// limit) leaves neither a truncated file nor a temporary one, and an older file in place.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, twinbench, twinbenchWithFileLimit } from './cli';

const dir = tempDir('out-files');
const COHORT = 'cohorts/adults-nhanes.yaml';
const PROTOCOL = 'protocols/antihypertensive-combination.yaml';

describe('--out files', () => {
  it('cohort --out that cannot be written whole: exit 2, no truncated file, an older file intact', () => {
    const out = join(dir, 'big.csv');
    // 20,000 twins make a CSV of about 2 MB; the limit is 256 KiB.
    const r = twinbenchWithFileLimit(['cohort', COHORT, '--n', '20000', '--workers', '0', '--out', out], 256);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${out}: cannot be written`);
    expect(r.stderr).toMatch(/File too large/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);

    writeFileSync(out, 'an older file\n');
    const again = twinbenchWithFileLimit(
      ['cohort', COHORT, '--n', '20000', '--workers', '0', '--out', out],
      256
    );
    expect(again.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('an older file\n');
    expect(readdirSync(dir)).toEqual(['big.csv']);
  });

  it('cohort --out writes the whole file and leaves no temporary file', () => {
    const sub = join(dir, 'ok');
    mkdirSync(sub);
    const r = twinbench(['cohort', COHORT, '--n', '300', '--out', join(sub, 'twins.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(sub)).toEqual(['twins.parquet']);
  });

  it("run --out is all or nothing: a table that cannot be written leaves none of the run's files", () => {
    const out = join(dir, 'run-out');
    // endpoint.parquet cannot be replaced: a folder of that name is in the way.
    mkdirSync(join(out, 'endpoint.parquet'), { recursive: true });
    const db = join(dir, 'run.duckdb');
    const r = twinbench(['run', PROTOCOL, '--n', '40', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(out, 'endpoint.parquet')}: cannot be written`);
    expect(readdirSync(out)).toEqual(['endpoint.parquet']);
    const ok = twinbench(['run', PROTOCOL, '--n', '40', '--db', db, '--out', join(dir, 'run-ok')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(join(dir, 'run-ok')).sort()).toEqual(
      ['assignment', 'endpoint', 'event', 'observation', 'run'].map((t) => `${t}.parquet`)
    );
    expect(existsSync(db)).toBe(true);
  });
});
