// A failed insert (a full disk) on every write path: the work is marked failed, its rows,
// staging table and cohort are deleted, earlier work is untouched and the next run works.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { rowsOf, scalar, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { recoverInterrupted } from '../../src/lib/db/recover';
import { CleanupFailedError } from '../../src/lib/runner/cleanup';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runPower } from '../../src/lib/runner/power';
import { runTrial } from '../../src/lib/runner/run-trial';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { tempDir, twinbench, twinbenchWithFileLimit } from './cli';

const readCohort = (file: string, kind: 'cohort' | 'model') => ({
  text: readFileSync(`${kind}s/${file.split('/').pop()}`, 'utf8'),
  file
});
const protocol = loadProtocol(
  readFileSync('protocols/antihypertensive-combination.yaml', 'utf8'),
  'protocols/antihypertensive-combination.yaml',
  readCohort
);
const cohortSpec = loadCohortSpec(readFileSync('cohorts/adults-nhanes.yaml', 'utf8'));

const DISK_FULL = 'IO Error: Could not write file "x.duckdb.wal": No space left on device';

/**
 * A database whose `failAt`-th insert fails as a full disk would; with `stayFull`, every
 * write after it fails too (the cleanup's own statements included).
 */
class FullDisk implements Connector {
  readonly kind = 'node' as const;
  inserts = 0;
  full = false;
  constructor(
    readonly db: NodeConnector,
    private readonly failAt: number,
    private readonly stayFull = false
  ) {}
  query(sql: string): Promise<Table> {
    return this.db.query(sql);
  }
  async exec(sql: string): Promise<void> {
    if (this.full && this.stayFull) throw new Error(`${DISK_FULL} (${sql.slice(0, 20)})`);
    return this.db.exec(sql);
  }
  async insertArrow(table: string, data: Table): Promise<void> {
    if (++this.inserts === this.failAt || (this.full && this.stayFull)) {
      this.full = true;
      throw new Error(DISK_FULL);
    }
    return this.db.insertArrow(table, data);
  }
  close(): Promise<void> {
    return this.db.close();
  }
}

const count = async (db: Connector, sql: string) => scalar<number>(db, `SELECT (${sql})::DOUBLE`);

const stagingTables = (db: Connector) =>
  count(db, `SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'twin_stage_%'`);

/** Rows of every run-data table for one run, and staging tables left anywhere. */
async function leftovers(db: Connector, runId: number) {
  const tables = ['assignment_data', 'observation_data', 'event_data', 'endpoint_data', 'profile_data'];
  let rows = 0;
  for (const t of tables) rows += await count(db, `SELECT count(*) FROM ${t} WHERE run_id = ${runId}`);
  return { rows, stages: await stagingTables(db) };
}

let open: Connector[] = [];
afterEach(async () => {
  for (const db of open) await db.close();
  open = [];
});

async function database() {
  const db = await NodeConnector.open();
  open.push(db);
  return db;
}

describe('a failed insert', () => {
  for (const workers of [0, 2]) {
    it(`while a run stores results (${workers} workers): run failed, its rows and cohort deleted, earlier run intact`, async () => {
      const db = await database();
      const pool = nodeWorkerPool(workers);
      const earlier = await runTrial({ db, pool, protocol, n: 400 });
      const earlierRows = await count(db, `SELECT count(*) FROM observation WHERE run_id = ${earlier.runId}`);
      // Insert 1 is the cohort's chunk; the 4th is inside the simulation's results.
      const full = new FullDisk(db, 4);
      await expect(runTrial({ db: full, pool, protocol, n: 2_000, chunkSize: 200 })).rejects.toThrow(
        'No space left on device'
      );
      const run = rowsOf<{ status: string; error: string; cohort_id: number | null }>(
        await db.query(`SELECT status, error, cohort_id FROM run WHERE run_id = 2`)
      )[0];
      expect(run.status).toBe('failed');
      expect(run.error).toContain('No space left on device');
      expect(await leftovers(db, 2)).toEqual({ rows: 0, stages: 0 });
      // The run's cohort was made for it: it goes with it.
      expect(await count(db, `SELECT count(*) FROM cohort`)).toBe(1);
      expect(await count(db, `SELECT count(*) FROM twin WHERE cohort_id <> ${earlier.cohortId}`)).toBe(0);
      expect(await count(db, `SELECT count(*) FROM observation WHERE run_id = ${earlier.runId}`)).toBe(
        earlierRows
      );
      const next = await runTrial({ db, pool, protocol, n: 400 });
      expect(await scalar(db, `SELECT status FROM run WHERE run_id = ${next.runId}`)).toBe('complete');
      pool.terminate();
    });
  }

  it('while a run stores its cohort: run and cohort failed and deleted, no staging table', async () => {
    const db = await database();
    const pool = nodeWorkerPool(2);
    const full = new FullDisk(db, 2);
    await expect(runTrial({ db: full, pool, protocol, n: 3_000, chunkSize: 500 })).rejects.toThrow(
      'No space left on device'
    );
    pool.terminate();
    expect(await scalar(db, `SELECT status FROM run`)).toBe('failed');
    expect(await leftovers(db, 1)).toEqual({ rows: 0, stages: 0 });
    expect(await count(db, `SELECT count(*) FROM cohort`)).toBe(0);
  });

  it('while a cohort is generated: cohort failed, staging table dropped', async () => {
    const db = await database();
    const pool = nodeWorkerPool(2);
    const full = new FullDisk(db, 3);
    await expect(
      generateCohort({ db: full, pool, spec: cohortSpec, n: 20_000, chunkSize: 2_000 })
    ).rejects.toThrow('No space left on device');
    pool.terminate();
    expect(await scalar(db, `SELECT status FROM cohort`)).toBe('failed');
    expect(await stagingTables(db)).toBe(0);
    expect(await count(db, `SELECT count(*) FROM twin`)).toBe(0);
  });

  it('while a power study stores replicates: study failed, its replicate rows deleted', async () => {
    const db = await database();
    const pool = nodeWorkerPool(0);
    const full = new FullDisk(db, 2);
    await expect(
      runPower({ db: full, pool, protocol, sizes: [40], replicates: 20, batch: 5 })
    ).rejects.toThrow('No space left on device');
    expect(await scalar(db, `SELECT status FROM power`)).toBe('failed');
    expect(await count(db, `SELECT count(*) FROM power_replicate`)).toBe(0);
  });

  it("a run's cohort whose twins cannot be deleted stays named by the run, and the next open deletes it", async () => {
    const db = await database();
    const full = new FullDisk(db, 3);
    // The cleanup's DELETE of the cohort's twins fails once, as on a disk still full.
    let refused = false;
    full.exec = async (sql: string) => {
      if (!refused && sql.startsWith('DELETE FROM twin')) {
        refused = true;
        throw new Error(DISK_FULL);
      }
      return db.exec(sql);
    };
    const error = await runTrial({
      db: full,
      pool: nodeWorkerPool(0),
      protocol,
      n: 1_000,
      chunkSize: 200
    }).catch((e) => e);
    expect(error).toBeInstanceOf(CleanupFailedError);
    const left = rowsOf<{ status: string; cohort_id: number | null }>(
      await db.query(`SELECT status, cohort_id FROM run`)
    )[0];
    expect(left.status).toBe('failed');
    expect(left.cohort_id).toBe(1);
    expect(await count(db, `SELECT count(*) FROM twin WHERE cohort_id = 1`)).toBe(1_000);

    await recoverInterrupted(db, () => true);
    expect(await scalar(db, `SELECT cohort_id FROM run`)).toBeNull();
    expect(await count(db, `SELECT count(*) FROM cohort`)).toBe(0);
    expect(await count(db, `SELECT count(*) FROM twin`)).toBe(0);
  });

  it('when the cleanup fails too (the disk stays full), both errors are reported', async () => {
    const db = await database();
    const pool = nodeWorkerPool(0);
    const full = new FullDisk(db, 3, true);
    const error = await runTrial({ db: full, pool, protocol, n: 1_000, chunkSize: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(CleanupFailedError);
    expect((error as CleanupFailedError).original).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/No space left on device.*cleaning up.*No space left/s);
  });
});

describe('a real file-size limit (ulimit -f) while the CLI writes the database', () => {
  const PROTOCOL = 'protocols/antihypertensive-combination.yaml';

  it('the run fails with exit 2 and the reason; the next command finds it failed with no rows and works', async () => {
    const path = join(tempDir('insert-failure'), 'runs.duckdb');
    const first = twinbench(['run', PROTOCOL, '--n', '400', '--workers', '0', '--db', path]);
    expect(first.code, first.stderr).toBe(0);
    // The write-ahead log may grow by 1 MiB, a few thousand twins' results.
    const kib = Math.ceil(statSync(path).size / 1024) + 1024;
    const full = twinbenchWithFileLimit(
      ['run', PROTOCOL, '--n', '20000', '--workers', '0', '--db', path],
      kib
    );
    expect(full.code, full.stderr).toBe(2);
    expect(full.stderr).toMatch(/^error: .*File too large/m);
    expect(full.stderr).not.toMatch(/please report|\n\s+at /);

    const next = twinbench(['run', PROTOCOL, '--n', '400', '--workers', '0', '--db', path]);
    expect(next.code, next.stderr).toBe(0);
    const db = await NodeConnector.open(path);
    try {
      const runs = rowsOf<{ run_id: number; status: string; cohort_id: number | null }>(
        await db.query(`SELECT run_id, status, cohort_id FROM run ORDER BY run_id`)
      );
      expect(runs.map((r) => r.status)).toEqual(['complete', 'failed', 'complete']);
      expect(runs[1].cohort_id).toBeNull();
      expect(await leftovers(db, 2)).toEqual({ rows: 0, stages: 0 });
      expect(await count(db, `SELECT count(*) FROM observation_data WHERE run_id = 1`)).toBe(1200);
      expect(await count(db, `SELECT count(*) FROM cohort`)).toBe(2);
      expect(await count(db, `SELECT count(*) FROM twin`)).toBe(800);
    } finally {
      await db.close();
    }
  });

  it('a cohort whose final move into the twin table cannot be committed: exit 2 with the reason, not a rollback error', async () => {
    const path = join(tempDir('insert-failure'), 'cohorts.duckdb');
    // 20,000 twins fit in 2 MiB while staged, not once more while moved into `twin`.
    const full = twinbenchWithFileLimit(
      ['cohort', 'cohorts/adults-nhanes.yaml', '--n', '20000', '--workers', '0', '--db', path],
      2048
    );
    expect(full.code, full.stderr).toBe(2);
    expect(full.stderr).toMatch(/^error: .*File too large/m);
    expect(full.stderr).not.toMatch(/rollback|please report/);
    const next = twinbench(['cohort', 'cohorts/adults-nhanes.yaml', '--n', '300', '--db', path]);
    expect(next.code, next.stderr).toBe(0);
    const db = await NodeConnector.open(path);
    try {
      expect(rowsOf(await db.query(`SELECT status FROM cohort ORDER BY cohort_id`))).toEqual([
        { status: 'failed' },
        { status: 'complete' }
      ]);
      expect(await stagingTables(db)).toBe(0);
      expect(await count(db, `SELECT count(*) FROM twin`)).toBe(300);
    } finally {
      await db.close();
    }
  });
});
