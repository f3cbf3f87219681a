// SIGINT, SIGTERM and SIGHUP in every phase of a long command: the work is marked
// cancelled and its rows deleted, the exit code is 128 + the signal's number, earlier work
// is untouched, and the next command on the same database works.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { abortableReads } from '../../src/cli/abortable-db';
import { listenForInterrupts, signalExitCode } from '../../src/cli/interrupt';
import { CancelledError } from '../../src/lib/runner/pool';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';
import { readFileSync } from 'node:fs';
import { tempDir, twinbench, twinbenchInterrupted, type CliResult } from './cli';

const PROTOCOL = 'protocols/antihypertensive-combination.yaml';
const COHORT = 'cohorts/adults-nhanes.yaml';
const EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const dir = tempDir('signals');

/** A database holding one complete run of 400 twins (1,200 observations). */
function databaseWithARun(name: string): string {
  const path = join(dir, `${name}.duckdb`);
  const r = twinbench(['run', PROTOCOL, '--n', '400', '--db', path]);
  expect(r.code, r.stderr).toBe(0);
  return path;
}

/** What the database holds, read without the recovery that a command's open runs. */
async function stateOf(path: string) {
  const db = await NodeConnector.open(path);
  const n = (sql: string) => scalar<number>(db, `SELECT (${sql})::DOUBLE`);
  const tables = new Set(
    rowsOf<{ t: string }>(await db.query(`SELECT table_name AS t FROM information_schema.tables`)).map(
      (r) => r.t
    )
  );
  try {
    const has = (t: string) => tables.has(t);
    return {
      runs: has('run')
        ? rowsOf<{ status: string }>(await db.query(`SELECT status FROM run ORDER BY run_id`)).map(
            (r) => r.status
          )
        : [],
      cohorts: rowsOf<{ status: string }>(await db.query(`SELECT status FROM cohort ORDER BY cohort_id`)).map(
        (r) => r.status
      ),
      power: has('power')
        ? rowsOf<{ status: string }>(await db.query(`SELECT status FROM power`)).map((r) => r.status)
        : [],
      /** Rows of runs other than run 1, in every run-data table. */
      otherRunRows: has('run')
        ? (await n(`SELECT count(*) FROM assignment_data WHERE run_id <> 1`)) +
          (await n(`SELECT count(*) FROM observation_data WHERE run_id <> 1`)) +
          (await n(`SELECT count(*) FROM endpoint_data WHERE run_id <> 1`))
        : 0,
      firstRunObservations: has('run') ? await n(`SELECT count(*) FROM observation WHERE run_id = 1`) : 0,
      twins: await n(`SELECT count(*) FROM twin`),
      stagingTables: [...tables].filter((t) => t.startsWith('twin_stage_')).length,
      replicates: has('power_replicate') ? await n(`SELECT count(*) FROM power_replicate`) : 0
    };
  } finally {
    await db.close();
  }
}

function expectCancelled(r: CliResult, signal: keyof typeof EXIT) {
  expect(r.code, r.stderr).toBe(EXIT[signal]);
  expect(r.stderr).toMatch(/^cancelled$/m);
  expect(r.stderr).not.toMatch(/please report|\n\s+at /);
}

function expectNextRunWorks(path: string) {
  const next = twinbench(['run', PROTOCOL, '--n', '400', '--db', path]);
  expect(next.code, next.stderr).toBe(0);
  expect(next.stdout).toMatch(/^run \d+ complete/m);
}

describe('a signal while a run simulates', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: exit ${EXIT[signal]}, the run cancelled with its rows and cohort deleted`, async () => {
      const path = databaseWithARun(`simulating-${signal}`);
      const r = await twinbenchInterrupted(['run', PROTOCOL, '--n', '200000', '--db', path], /twins: 0 of/, [
        signal
      ]);
      expectCancelled(r, signal);
      expect(await stateOf(path)).toEqual({
        runs: ['complete', 'cancelled'],
        cohorts: ['complete'],
        power: [],
        otherRunRows: 0,
        firstRunObservations: 1200,
        twins: 400,
        stagingTables: 0,
        replicates: 0
      });
      expectNextRunWorks(path);
    });
  }

  it('a second Ctrl-C during the cleanup lets it finish: cancelled, nothing left behind', async () => {
    const path = databaseWithARun('twice');
    const r = await twinbenchInterrupted(
      ['run', PROTOCOL, '--n', '200000', '--db', path],
      /twins: 0 of/,
      ['SIGINT', 'SIGINT'],
      { gapMs: 20 }
    );
    expectCancelled(r, 'SIGINT');
    const s = await stateOf(path);
    expect(s.runs).toEqual(['complete', 'cancelled']);
    expect(s.otherRunRows).toBe(0);
    expect(s.cohorts).toEqual(['complete']);
  });

  it('with --workers 0 (the engine on the main thread) Ctrl-C still stops it between chunks', async () => {
    const path = databaseWithARun('in-process');
    const started = performance.now();
    const r = await twinbenchInterrupted(
      ['run', PROTOCOL, '--n', '200000', '--workers', '0', '--chunk-size', '1000', '--db', path],
      /twins: 0 of/,
      ['SIGINT']
    );
    expectCancelled(r, 'SIGINT');
    // The whole run takes far longer than this with one thread.
    expect(performance.now() - started).toBeLessThan(30_000);
    const s = await stateOf(path);
    expect(s.runs).toEqual(['complete', 'cancelled']);
    expect(s.otherRunRows).toBe(0);
  });

  it('with --workers 0 and nothing stored between chunks (power without --db), Ctrl-C still stops it', async () => {
    // Each chunk's result is handled without any I/O: only the pool's turn of the event
    // loop between chunks lets the signal handler run. The whole study takes many minutes.
    const started = performance.now();
    const r = await twinbenchInterrupted(
      ['power', PROTOCOL, '--n', '400', '--replicates', '100000', '--workers', '0'],
      /replicates: 0 of/,
      ['SIGINT']
    );
    expectCancelled(r, 'SIGINT');
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});

describe('a signal in the other phases', () => {
  it('SIGTERM while a run generates its cohort: the run cancelled, its cohort and staging table gone', async () => {
    const path = databaseWithARun('cohort-phase');
    const r = await twinbenchInterrupted(['run', PROTOCOL, '--n', '400000', '--db', path], /cohort: 0 of/, [
      'SIGTERM'
    ]);
    expectCancelled(r, 'SIGTERM');
    const s = await stateOf(path);
    expect(s.runs).toEqual(['complete', 'cancelled']);
    expect(s.cohorts).toEqual(['complete']);
    expect(s.stagingTables).toBe(0);
    expect(s.twins).toBe(400);
    expectNextRunWorks(path);
  });

  it('Ctrl-C while a complete run is exported: exit 130, the run stays complete, no output file', async () => {
    const path = databaseWithARun('export');
    const out = join(dir, 'export-out');
    const r = await twinbenchInterrupted(
      ['run', PROTOCOL, '--n', '200000', '--db', path, '--out', out],
      /^run 2 complete/m,
      ['SIGINT']
    );
    expectCancelled(r, 'SIGINT');
    expect((await stateOf(path)).runs).toEqual(['complete', 'complete']);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('Ctrl-C while a cohort is generated: cancelled, no twins, no staging table', async () => {
    const path = join(dir, 'cohort.duckdb');
    const r = await twinbenchInterrupted(['cohort', COHORT, '--n', '2000000', '--db', path], /twins: 0 of/, [
      'SIGINT'
    ]);
    expectCancelled(r, 'SIGINT');
    const s = await stateOf(path);
    expect(s.cohorts).toEqual(['cancelled']);
    expect(s.twins).toBe(0);
    expect(s.stagingTables).toBe(0);
    expectNextRunWorks(path);
  });

  it('Ctrl-C during Table 1 of a large cohort stops the query at once; the cohort stays complete', async () => {
    const path = join(dir, 'table1.duckdb');
    const r = await twinbenchInterrupted(
      ['cohort', COHORT, '--n', '1000000', '--db', path],
      /twins enrolled of/,
      ['SIGINT']
    );
    expectCancelled(r, 'SIGINT');
    // Table 1 (seconds for a million twins) was not finished: its first row never came.
    expect(r.stdout).not.toMatch(/^n\s+1000000/m);
    const s = await stateOf(path);
    expect(s.cohorts).toEqual(['complete']);
    expect(s.twins).toBe(1_000_000);
  });

  it('SIGHUP during a power study: cancelled, its replicate rows deleted', async () => {
    const path = databaseWithARun('power');
    const r = await twinbenchInterrupted(
      ['power', PROTOCOL, '--n', '400,800', '--replicates', '4000', '--db', path],
      /replicates: 0 of/,
      ['SIGHUP']
    );
    expectCancelled(r, 'SIGHUP');
    const s = await stateOf(path);
    expect(s.power).toEqual(['cancelled']);
    expect(s.replicates).toBe(0);
    expect(s.runs).toEqual(['complete']);
    expectNextRunWorks(path);
  });
});

describe('the read phase of describe, analyze and Table 1', () => {
  it('a signal interrupts the query running now, and no later query starts', async () => {
    const db = await NodeConnector.open();
    const interrupts = listenForInterrupts();
    interrupts.onInterrupt(() => db.interrupt());
    const reads = abortableReads(db, interrupts.signal);
    try {
      // Minutes of work if nothing stopped it.
      const long = reads.query(`SELECT count(*) FROM range(100000000000) WHERE hash(range) % 7 = 1`);
      setTimeout(() => process.emit('SIGINT', 'SIGINT'), 300);
      const started = performance.now();
      await expect(long).rejects.toThrow(/INTERRUPT/);
      expect(performance.now() - started).toBeLessThan(10_000);
      await expect(reads.query('SELECT 1')).rejects.toBeInstanceOf(CancelledError);
      expect(signalExitCode()).toBe(130);
      // The plain connection still works: a cleanup after the signal reaches the database.
      expect(await scalar(db, 'SELECT 42')).toBe(42);
    } finally {
      interrupts.dispose();
      await db.close();
    }
  });
});

describe('a statement interrupted by a signal', () => {
  it("is a cancellation: moving a cohort's twins into place, interrupted, leaves it cancelled", async () => {
    const db = await NodeConnector.open();
    const controller = new AbortController();
    // What Ctrl-C does to the long INSERT that completes a cohort: abort, then DuckDB's error.
    const interrupted = Object.assign(Object.create(db) as NodeConnector, {
      exec: async (sql: string) => {
        if (!sql.startsWith('INSERT INTO twin')) return db.exec(sql);
        controller.abort();
        throw new Error('INTERRUPT Error: Interrupted!');
      }
    });
    const spec = loadCohortSpec(readFileSync(COHORT, 'utf8'));
    const run = generateCohort({
      db: interrupted,
      pool: nodeWorkerPool(0),
      spec,
      n: 500,
      signal: controller.signal
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(rowsOf(await db.query(`SELECT status, error FROM cohort`))).toEqual([
      { status: 'cancelled', error: 'cancelled' }
    ]);
    expect(await scalar(db, `SELECT count(*)::DOUBLE FROM twin`)).toBe(0);
    await db.close();
  });
});
