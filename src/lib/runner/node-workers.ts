import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { newestMtime } from '../node/newest-mtime';
import { WorkerPool, type PoolWorker } from './pool';
import { workerApi, type WorkerApi } from './worker-api';

/**
 * Worker threads running src/lib/runner/worker.node.ts, bundled with esbuild into one
 * JavaScript module (rebuilt when a source file or the lockfile is newer). Loading the
 * TypeScript sources through tsx instead would cost each worker about a second at start,
 * and tsx's function-name wrappers slow the hot loops.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER_ENTRY = fileURLToPath(new URL('./worker.node.ts', import.meta.url));
let bundled: string | undefined;

function workerBundle(): string {
  if (bundled) return bundled;
  let dir = join(ROOT, 'node_modules', '.cache', 'twinbench');
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    dir = mkdtempSync(join(tmpdir(), 'twinbench-'));
  }
  // Named after the checkout, so checkouts sharing a node_modules never share a bundle.
  const file = join(dir, `worker.node.${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.mjs`);
  const sources = newestMtime(join(ROOT, 'src'), join(ROOT, 'package-lock.json'));
  if (!existsSync(file) || statSync(file).mtimeMs < sources) {
    // Built beside the target and renamed, so concurrent processes never see half a file.
    const partial = `${file}.${process.pid}.partial`;
    try {
      buildSync({
        entryPoints: [WORKER_ENTRY],
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        outfile: partial,
        logLevel: 'error'
      });
      renameSync(partial, file);
    } catch (e) {
      rmSync(partial, { force: true }); // a failed build (a full disk) leaves no half file
      throw e;
    }
  }
  return (bundled = file);
}

/** `onSpawn` sees the raw thread (tests use it to kill a worker mid-run). */
export function spawnNodeWorker(onSpawn?: (worker: Worker) => void): PoolWorker {
  const worker = new Worker(workerBundle());
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
