import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { nonmemDataset } from '../../src/lib/analysis/nonmem-dataset';
import { tableToCsv } from '../../src/lib/io/table-export';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { NONMEM_TEST_PROTOCOL } from './nonmem-test-protocol';

const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'twinbench-export-'));
const dbFile = join(dir, 'workspace.duckdb');

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('twinbench export --nonmem', () => {
  let runId: number;
  let expected: string;
  beforeAll(async () => {
    const db = await NodeConnector.open(dbFile);
    const cohort = readFileSync('cohorts/adults-nhanes.yaml', 'utf8');
    const protocol = loadProtocol(stringify(NONMEM_TEST_PROTOCOL), 'trial.yaml', () => ({
      text: cohort,
      file: 'adults-nhanes.yaml'
    }));
    ({ runId } = await runTrial({ db, pool: nodeWorkerPool(0), protocol }));
    // The browser's CSV of the same rows (papaparse), to compare with DuckDB's COPY.
    expected = tableToCsv(await db.query((await nonmemDataset(db, runId)).relation));
    await db.close();
  });

  it('writes the dataset and the table naming its CMT numbers', () => {
    const out = join(dir, 'run.csv');
    const r = twinbench('export', dbFile, '--run', String(runId), '--nonmem', out);
    expect(r.stderr).toContain('written');
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 7)).toEqual(['ID', 'TIME', 'AMT', 'DV', 'EVID', 'MDV', 'CMT']);
    expect(lines.length).toBe(expected.trim().split('\n').length);
    expect(readFileSync(join(dir, 'run.cmt.csv'), 'utf8')).toBe(
      'CMT,EVID,kind,name\n1,1,dose,central\n1,0,observation,C\n2,0,observation,E\n'
    );
  });

  it('exits 2 naming a run that does not exist, a bad replicate or a bad file type', () => {
    const missing = twinbench('export', dbFile, '--run', '99', '--nonmem', join(dir, 'x.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('there is no run 99');
    const replicate = twinbench(
      'export',
      dbFile,
      '--run',
      String(runId),
      '--replicate',
      '4',
      '--nonmem',
      join(dir, 'x.csv')
    );
    expect(replicate.code).toBe(2);
    expect(replicate.stderr).toContain('replicate must be a whole number from 0 to 0 (got 4)');
    const type = twinbench('export', dbFile, '--run', String(runId), '--nonmem', join(dir, 'x.txt'));
    expect(type.code).toBe(2);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });
});
