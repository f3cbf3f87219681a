import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool, spawnNodeWorker } from '../../src/lib/runner/node-workers';
import { CancelledError, WorkerDiedError, WorkerPool, type PoolWorker } from '../../src/lib/runner/pool';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';

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

  it('an onResult failure rejects map at once, stops the workers and leaves no unhandled rejection', async () => {
    let terminated = 0;
    const calls: number[] = [];
    const pool = new WorkerPool(() => fakeWorker(() => terminated++), 2);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const tasks = Array.from({ length: 40 }, (_, i) => i);
      const map = pool.map(
        tasks,
        async (api, t) => {
          calls.push(t);
          return (api as unknown as FakeApi).work(t);
        },
        {
          onResult: (r) => {
            if (r === 3) throw new Error('disk full');
          }
        }
      );
      await expect(map).rejects.toThrow('disk full');
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(terminated).toBe(2);
    // The failure stopped the work: not every task was handed out.
    expect(calls.length).toBeLessThan(40);
  });

  it('map settles only after the result being stored has finished (no insert after a failure)', async () => {
    const pool = new WorkerPool(() => fakeWorker(), 2);
    const events: string[] = [];
    const map = pool.map(
      [1, 2, 3, 4],
      async (api, t) => {
        if (t === 3) throw new Error('a twin failed');
        return (api as unknown as FakeApi).work(t);
      },
      {
        onResult: async (r) => {
          events.push(`store ${r} start`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          events.push(`store ${r} end`);
        }
      }
    );
    await expect(map).rejects.toThrow('a twin failed');
    events.push('map rejected');
    expect(events.at(-1)).toBe('map rejected');
    expect(events.filter((e) => e.endsWith('start')).length).toBe(
      events.filter((e) => e.endsWith('end')).length
    );
  });

  it('an in-process pool lets timers and signal handlers run between chunks', async () => {
    // 0 workers run chunks on this thread: without a turn of the event loop between
    // chunks, a Ctrl-C handler (a macrotask) could not run until every chunk was done.
    const controller = new AbortController();
    const pool = new WorkerPool(() => ({ api: syncApi, terminate() {}, onExit() {} }), 1);
    setTimeout(() => controller.abort(), 0);
    let done = 0;
    await expect(
      pool.map(
        Array.from({ length: 2_000 }, (_, i) => i),
        async (api, t) => (api as unknown as FakeApi).busy(t),
        { onResult: () => void done++, signal: controller.signal }
      )
    ).rejects.toBeInstanceOf(CancelledError);
    expect(done).toBeLessThan(2_000);
  });

  it('refuses a pool of zero workers', () => {
    expect(() => new WorkerPool(() => spawnNodeWorker(), 0)).toThrow(/at least 1 worker/);
  });
});

interface FakeApi {
  work(t: number): Promise<number>;
  busy(t: number): number;
}

/** A synchronous engine, as with 0 workers: each call blocks the thread for ~2 ms. */
const syncApi = {
  work: async (t: number) => t,
  busy: (t: number) => {
    const until = performance.now() + 2;
    while (performance.now() < until);
    return t;
  }
} as unknown as PoolWorker['api'];

/** A worker whose tasks take a few milliseconds each. */
function fakeWorker(onTerminate: () => void = () => {}): PoolWorker {
  const api = { work: (t: number) => new Promise<number>((r) => setTimeout(() => r(t), 5)) };
  return { api: api as unknown as PoolWorker['api'], terminate: onTerminate, onExit() {} };
}
