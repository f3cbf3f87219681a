import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool, spawnNodeWorker } from '../../src/lib/runner/node-workers';
import { CancelledError, WorkerDiedError, WorkerPool } from '../../src/lib/runner/pool';
import { loadCohortSpec } from '../../src/lib/spec/load-cohort';

const spec = loadCohortSpec(readFileSync('cohorts/adults-nhanes.yaml', 'utf8'));

/** The database holds no twin rows and no staging table, and no cohort is complete. */
async function expectNothingStored(db: NodeConnector, status: string) {
  expect(await scalar(db, `SELECT count(*)::DOUBLE FROM twin`)).toBe(0);
  expect(
    await scalar(
      db,
      `SELECT count(*)::DOUBLE FROM information_schema.tables WHERE table_name LIKE 'twin_stage%'`
    )
  ).toBe(0);
  const cohorts = rowsOf<{ status: string; error: string }>(
    await db.query(`SELECT status, error FROM cohort`)
  );
  expect(cohorts.map((c) => c.status)).toEqual([status]);
  return cohorts[0];
}

describe('worker pool', () => {
  it('passes typed arrays back from worker threads and maps every task once', async () => {
    const pool = nodeWorkerPool(2);
    const seen: number[] = [];
    try {
      await pool.map(
        [1, 101, 201, 301, 401],
        async (api, first) => api.generateCohortChunk(spec.seed, first, 100),
        {
          init: (api) => api.prepareCohort(spec),
          onResult: (chunk) => {
            expect(chunk.columns[0]).toBeInstanceOf(Float64Array);
            seen.push(chunk.firstId);
          }
        }
      );
    } finally {
      pool.terminate();
    }
    expect(seen.sort((a, b) => a - b)).toEqual([1, 101, 201, 301, 401]);
  });

  it('cancels mid-run: workers stop, the cohort is marked cancelled and no twin is stored', async () => {
    const db = await NodeConnector.open();
    const pool = nodeWorkerPool(2);
    const controller = new AbortController();
    const started = performance.now();
    const run = generateCohort({
      db,
      pool,
      spec,
      n: 5_000_000,
      chunkSize: 20_000,
      signal: controller.signal,
      onProgress: (done) => done > 0 && controller.abort()
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(20_000);
    await expectNothingStored(db, 'cancelled');
    await db.close();
  });

  it('a worker killed mid-run fails the run with a clear error and leaves nothing complete', async () => {
    const db = await NodeConnector.open();
    const threads: Worker[] = [];
    const pool = new WorkerPool(() => spawnNodeWorker((w) => threads.push(w)), 2);
    const run = generateCohort({
      db,
      pool,
      spec,
      n: 5_000_000,
      chunkSize: 20_000,
      onProgress: (done) => {
        if (done > 0 && threads.length) void threads[0].terminate(); // killed from outside
      }
    });
    await expect(run).rejects.toBeInstanceOf(WorkerDiedError);
    const cohort = await expectNothingStored(db, 'failed');
    expect(cohort.error).toMatch(/a worker died/);
    pool.terminate();
    await db.close();
  });

  it('refuses a pool of zero workers', () => {
    expect(() => new WorkerPool(() => spawnNodeWorker(), 0)).toThrow(/at least 1 worker/);
  });
});
