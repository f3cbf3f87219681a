// Bad shard input through the CLI: a clear message, exit 2, and no half-merged work.
import { mkdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, twinbench } from './cli';

const dir = tempDir('shards');
const PROTOCOL = join(ROOT, 'protocols/antihypertensive-dose-ranging.yaml');
const STACK = /\n\s+at /;

function refused(args: string[], env: Record<string, string> = {}, message: RegExp) {
  const r = twinbench(args, env);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(STACK);
}

describe('twinbench run/power --shard and merge refuse bad input with exit 2', () => {
  it('a shard index out of range, n = 0, no --out, --shard auto without an array index', () => {
    const run = ['run', PROTOCOL, '--n', '40', '--out', join(dir, 'x')];
    refused([...run, '--shard', '5/4'], {}, /--shard: shard 5 is outside 1…4/);
    refused([...run, '--shard', '1/0'], {}, /--shard: n must be a whole number from 1/);
    refused(['run', PROTOCOL, '--shard', '1/2'], {}, /--shard 1\/2 needs --out <folder>/);
    refused([...run, '--shard', 'auto/4'], {}, /none of SLURM_ARRAY_TASK_ID/);
    refused(
      [...run, '--shard', 'auto/4'],
      { AWS_BATCH_JOB_ARRAY_INDEX: '4' },
      /AWS_BATCH_JOB_ARRAY_INDEX=4 gives shard 5/
    );
    refused([...run, '--n', '3', '--shard', '1/4'], {}, /4 shards is more than the 3 twins/);
    refused(
      [
        'power',
        PROTOCOL,
        '--n',
        '40',
        '--replicates',
        '4',
        '--shard',
        '1/2',
        '--target-power',
        '0.8',
        '--out',
        join(dir, 'p')
      ],
      {},
      /--target-power cannot be used with --shard/
    );
  });

  it('a missing, truncated or foreign shard: named, exit 2, nothing merged', () => {
    const out = join(dir, 'out');
    for (const i of [1, 2, 3]) {
      const r = twinbench([
        'run',
        PROTOCOL,
        '--n',
        '60',
        '--shard',
        `${i}/3`,
        '--out',
        out,
        '--workers',
        '0'
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${i}/3: twins \\d+-\\d+ of 60`));
    }
    const db = join(dir, 'merged.duckdb');
    // a shard of another seed in the same folder
    expect(
      twinbench([
        'run',
        PROTOCOL,
        '--n',
        '60',
        '--seed',
        '5',
        '--shard',
        '2/3',
        '--out',
        out,
        '--workers',
        '0'
      ]).code
    ).toBe(0);
    refused(['merge', out, '--db', db], {}, /shard 2 is foreign: its protocol/);
    expect(
      twinbench(['run', PROTOCOL, '--n', '60', '--shard', '2/3', '--out', out, '--workers', '0']).code
    ).toBe(0);
    truncateSync(join(out, 'endpoint_data', 'shard=3', 'part.parquet'), 64);
    refused(['merge', out, '--db', db], {}, /shard 3's endpoint_data file .* cannot be read/);
    refused(['merge', join(dir, 'nothing'), '--db', db], {}, /no such folder/);
    mkdirSync(join(dir, 'empty'));
    refused(['merge', join(dir, 'empty'), '--db', db], {}, /no shard manifest/);
    // nothing was merged: no run in the database
    const f = twinbench(['fingerprint', '--db', db]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/holds no run|no complete run/);
    // the shard re-run, the merge goes through
    expect(
      twinbench(['run', PROTOCOL, '--n', '60', '--shard', '3/3', '--out', out, '--workers', '0']).code
    ).toBe(0);
    const merged = twinbench(['merge', out, '--db', db]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/merged 3 shards into run 1 \(60 twins\)/);
  }, 120_000);
});
