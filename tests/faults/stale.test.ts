// Work no handler could clean up (SIGKILL, a crash, a power cut, a third Ctrl-C) stays
// 'running' with its rows; the next open of the database marks it interrupted and deletes
// them, in the CLI (by the writer's process id) and in the browser (every such row).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { rowsOf, scalar, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { recoverInterrupted } from '../../src/lib/db/recover';
import { beginRun } from '../../src/lib/db/run-store';
import { runTrial } from '../../src/lib/runner/run-trial';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { openWasmInNode } from '../helpers/wasm-in-node';
import { tempDir, twinbench, twinbenchInterrupted } from './cli';

const PROTOCOL = 'protocols/antihypertensive-combination.yaml';
const COHORT = 'cohorts/adults-nhanes.yaml';
const dir = tempDir('stale');

/** A run row as beginRun writes it, left 'running'. */
const LEFT_RUNNING = {
  name: 'left running',
  protocol: {},
  seed: 1,
  replicates: 1,
  nTwins: 10,
  design: 'parallel',
  arms: ['a', 'b'],
  variables: ['y'],
  endpoints: ['e'],
  primaryEndpoint: 'e'
};

const count = (db: Connector, sql: string) => scalar<number>(db, `SELECT (${sql})::DOUBLE`);
const statuses = async (db: Connector, table: string) =>
  rowsOf<{ status: string }>(await db.query(`SELECT status FROM ${table} ORDER BY 1`)).map((r) => r.status);

async function withDb<T>(path: string, f: (db: NodeConnector) => Promise<T>): Promise<T> {
  const db = await NodeConnector.open(path);
  try {
    return await f(db);
  } finally {
    await db.close();
  }
}

/** A database with one complete run (400 twins), then a second run killed mid-simulation. */
async function killedRun(name: string, signals: NodeJS.Signals[]): Promise<[string, string]> {
  const path = join(dir, `${name}.duckdb`);
  expect(twinbench(['run', PROTOCOL, '--n', '400', '--db', path]).code).toBe(0);
  const killed = await twinbenchInterrupted(
    ['run', PROTOCOL, '--n', '300000', '--chunk-size', '2000', '--db', path],
    /twins: 0 of/,
    signals,
    { gapMs: 10 }
  );
  expect(killed.code === null ? killed.signal : killed.code).toBe(signals[0] === 'SIGKILL' ? 'SIGKILL' : 130);
  return [path, killed.stderr];
}

describe('work left running by a process that is gone', () => {
  it('a run killed with SIGKILL is marked interrupted by the next command, its rows and cohort deleted', async () => {
    const [path] = await killedRun('sigkill', ['SIGKILL']);
    const before = await withDb(path, async (db) => ({
      status: await statuses(db, 'run'),
      rows: await count(db, `SELECT count(*) FROM assignment_data WHERE run_id = 2`)
    }));
    expect(before.status).toEqual(['complete', 'running']);

    const next = twinbench(['run', PROTOCOL, '--n', '400', '--db', path]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(
      new RegExp(
        `run 2 was left running by process \\d+ on ${hostname()}, which has ended: marked interrupted`
      )
    );
    await withDb(path, async (db) => {
      const runs = rowsOf<{ status: string; error: string | null; cohort_id: number | null }>(
        await db.query(`SELECT status, error, cohort_id FROM run ORDER BY run_id`)
      );
      expect(runs.map((r) => r.status)).toEqual(['complete', 'interrupted', 'complete']);
      expect(runs[1].error).toMatch(/ended without finishing it/);
      expect(runs[1].cohort_id).toBeNull();
      for (const t of ['assignment_data', 'observation_data', 'endpoint_data'])
        expect(await count(db, `SELECT count(*) FROM ${t} WHERE run_id = 2`)).toBe(0);
      expect(await count(db, `SELECT count(*) FROM observation WHERE run_id = 1`)).toBe(1200);
      // The killed run's cohort went with it: the first and the last run's remain.
      expect(await statuses(db, 'cohort')).toEqual(['complete', 'complete']);
      expect(await count(db, `SELECT count(*) FROM twin`)).toBe(800);
    });
  });

  it('a third Ctrl-C quits without cleaning up; the next command writing to the database cleans up', async () => {
    const [path, stderr] = await killedRun('third-ctrl-c', ['SIGINT', 'SIGINT', 'SIGINT']);
    expect(stderr).toMatch(/cancelling: cleaning up \(SIGINT once more quits without cleaning up\)/);
    const r = twinbench([
      'analyze',
      path,
      '--control',
      'placebo',
      '--endpoint',
      'sbp_change_w8',
      '--type',
      'continuous'
    ]);
    // analyze only reads (complete runs): it leaves the file as it is.
    expect(r.code, r.stderr).toBe(0);
    const next = twinbench(['cohort', COHORT, '--n', '50', '--db', path]);
    expect(next.code, next.stderr).toBe(0);
    await withDb(path, async (db) => {
      expect(await statuses(db, 'cohort')).toEqual(['complete', 'complete']);
      // Cancelled if the cleanup was quicker than the third signal, interrupted if not.
      const [first, second] = rowsOf<{ status: string }>(
        await db.query(`SELECT status FROM run ORDER BY run_id`)
      ).map((x) => x.status);
      expect(first).toBe('complete');
      expect(['cancelled', 'interrupted']).toContain(second);
      expect(await count(db, `SELECT count(*) FROM observation_data WHERE run_id = 2`)).toBe(0);
      expect(await count(db, `SELECT count(*) FROM observation WHERE run_id = 1`)).toBe(1200);
    });
  });

  it('a cohort killed while generating: interrupted on the next open, its staging table dropped', async () => {
    const path = join(dir, 'cohort.duckdb');
    const killed = await twinbenchInterrupted(
      ['cohort', COHORT, '--n', '3000000', '--chunk-size', '20000', '--db', path],
      /twins: 0 of/,
      ['SIGKILL']
    );
    expect(killed.signal).toBe('SIGKILL');
    const next = twinbench(['cohort', COHORT, '--n', '300', '--db', path]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/cohort 1 was left generating by process \d+ .* marked interrupted/);
    await withDb(path, async (db) => {
      expect(await statuses(db, 'cohort')).toEqual(['complete', 'interrupted']);
      expect(
        await count(db, `SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'twin_stage_%'`)
      ).toBe(0);
      expect(await count(db, `SELECT count(*) FROM twin`)).toBe(300);
    });
  });
});

describe('a database from before writers were recorded', () => {
  it('its running work is interrupted when a command opens it (no process can hold it then)', async () => {
    const path = join(dir, 'legacy.duckdb');
    await withDb(path, async (db) => {
      await beginRun(db, LEFT_RUNNING);
      await db.exec(`ALTER TABLE run DROP COLUMN writer_pid; ALTER TABLE run DROP COLUMN writer_host`);
    });
    const r = twinbench(['run', PROTOCOL, '--n', '400', '--db', path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('run 1 was left running by a process that is not recorded, which has ended');
    await withDb(path, async (db) => expect(await statuses(db, 'run')).toEqual(['complete', 'interrupted']));
  });
});

describe('recoverInterrupted', () => {
  const readCohort = (file: string, kind: 'cohort' | 'model') => ({
    text: readFileSync(`${kind}s/${file.split('/').pop()}`, 'utf8'),
    file
  });
  const protocol = loadProtocol(readFileSync(PROTOCOL, 'utf8'), PROTOCOL, readCohort);
  const runArgs = LEFT_RUNNING;

  it('leaves alone work whose writer still runs, and marks the rest (rows of failed runs go too)', async () => {
    const db = await NodeConnector.open();
    const pool = nodeWorkerPool(0);
    await runTrial({ db, pool, protocol, n: 200 });
    const alive = await beginRun(db, runArgs);
    const dead = await beginRun(db, runArgs);
    await db.exec(`UPDATE run SET writer_pid = 999999999 WHERE run_id = ${dead}`);
    // Rows a failed cleanup left behind (a run marked failed whose rows stayed).
    await db.exec(`INSERT INTO endpoint_data VALUES (${dead + 1}, 0, 1, 0, 0, 1.5, 0)`);
    await db.exec(
      `INSERT INTO run SELECT * REPLACE (${dead + 1} AS run_id, 'failed' AS status) FROM run WHERE run_id = 1`
    );
    const notes = await recoverInterrupted(db, (w) => w?.pid === process.pid);
    expect(notes).toEqual([
      `run ${dead} was left running by process 999999999 on ${hostname()}, which has ended: marked interrupted and its rows deleted`
    ]);
    expect(await statuses(db, 'run')).toEqual(['complete', 'failed', 'interrupted', 'running']);
    expect(await count(db, `SELECT count(*) FROM endpoint_data WHERE run_id <> 1`)).toBe(0);
    expect(await count(db, `SELECT count(*) FROM endpoint WHERE run_id = 1`)).toBe(200);
    expect(alive).toBe(dead - 1);
    await db.close();
  });

  it('in the browser (duckdb-wasm) every running piece of work is stale on open', async () => {
    const db = await openWasmInNode();
    const id = await beginRun(db, runArgs);
    expect(await scalar(db, `SELECT writer_host FROM run`)).toBe('browser');
    expect(await recoverInterrupted(db, () => false)).toHaveLength(1);
    expect(await statuses(db, 'run')).toEqual(['interrupted']);
    expect(id).toBe(1);
    await db.close();
  });

  it('a database with no tables yet is left as it is', async () => {
    const db = await NodeConnector.open();
    expect(await recoverInterrupted(db, () => false)).toEqual([]);
    expect(await count(db, `SELECT count(*) FROM information_schema.tables`)).toBe(0);
    await db.close();
  });
});
