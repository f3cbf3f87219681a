import { wrap } from 'comlink';
import { WorkerPool, type PoolWorker } from './pool';
import type { WorkerApi } from './worker-api';

/** Browser Web Workers running worker.browser.ts (bundled by Vite as an ES module worker). */
export function spawnBrowserWorker(): PoolWorker {
  const worker = new Worker(new URL('./worker.browser.ts', import.meta.url), { type: 'module' });
  const exitCallbacks: ((reason: string) => void)[] = [];
  let terminated = false;
  worker.addEventListener('error', (e) => {
    if (!terminated) exitCallbacks.forEach((cb) => cb(e.message || 'worker error'));
  });
  return {
    api: wrap<WorkerApi>(worker),
    terminate() {
      terminated = true;
      worker.terminate();
    },
    onExit: (cb) => exitCallbacks.push(cb)
  };
}

export function browserWorkerPool(
  workers = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 0))
) {
  return new WorkerPool(spawnBrowserWorker, workers);
}
