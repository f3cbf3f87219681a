import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import { WorkerPool, type PoolWorker } from './pool';
import { workerApi, type WorkerApi } from './worker-api';

/**
 * Worker threads running src/lib/runner/worker.node.ts. Node 20 workers ignore
 * `--import tsx` in execArgv, so each starts from a tiny eval'd bootstrap that registers
 * tsx's ESM loader and then imports the TypeScript worker module.
 */
const WORKER_URL = new URL('./worker.node.ts', import.meta.url).href;
const BOOTSTRAP = `
const { register } = await import('tsx/esm/api');
register();
await import(${JSON.stringify(WORKER_URL)});
`;

/** `onSpawn` sees the raw thread (tests use it to kill a worker mid-run). */
export function spawnNodeWorker(onSpawn?: (worker: Worker) => void): PoolWorker {
  const worker = new Worker(BOOTSTRAP, { eval: true });
  onSpawn?.(worker);
  const exitCallbacks: ((reason: string) => void)[] = [];
  let terminated = false;
  const report = (reason: string) => {
    if (!terminated) exitCallbacks.forEach((cb) => cb(reason));
  };
  worker.on('error', (e) => report(e instanceof Error ? e.message : String(e)));
  worker.on('exit', (code) => report(`exited with code ${code}`));
  return {
    api: wrap<WorkerApi>(nodeEndpoint(worker)),
    terminate() {
      terminated = true;
      void worker.terminate();
    },
    onExit: (cb) => exitCallbacks.push(cb)
  };
}

/** The engine in this thread: 0 workers, for small jobs and for debugging. */
export function inProcessWorker(): PoolWorker {
  return { api: workerApi, terminate() {}, onExit() {} };
}

/** A pool of k worker threads, or the in-process engine when k is 0. */
export function nodeWorkerPool(workers: number): WorkerPool {
  return workers === 0
    ? new WorkerPool(inProcessWorker, 1)
    : new WorkerPool(() => spawnNodeWorker(), workers);
}
