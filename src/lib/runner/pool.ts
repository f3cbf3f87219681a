import type { Remote } from 'comlink';
import type { WorkerApi } from './worker-api';

/**
 * A fixed-size pool of workers that run chunks of work. Chunks are handed out in order
 * to whichever worker is free; results are passed to `onResult` one at a time (so a
 * database insert never runs concurrently with another), in completion order, while
 * the workers go on computing. Cancelling (AbortSignal) terminates the workers at once: long chunks stop mid-flight.
 */
export interface PoolWorker {
  api: Remote<WorkerApi> | WorkerApi;
  terminate(): void;
  /** Registers a callback for the worker dying (crash, kill, out of memory). */
  onExit(callback: (reason: string) => void): void;
}

export type SpawnWorker = () => PoolWorker;

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export class WorkerDiedError extends Error {
  constructor(reason: string) {
    super(`a worker died: ${reason}`);
    this.name = 'WorkerDiedError';
  }
}

export interface MapOptions<T, R> {
  /** Runs once in each worker before its first task (e.g. compile a spec). */
  init?: (api: PoolWorker['api']) => Promise<void> | void;
  onResult?: (result: R, task: T) => Promise<void> | void;
  signal?: AbortSignal;
}

export class WorkerPool {
  private workers: PoolWorker[] = [];
  /** The running map's reaction to a worker dying; exits after terminate() are ignored. */
  private onWorkerDied: ((reason: string) => void) | undefined;

  constructor(
    private readonly spawn: SpawnWorker,
    readonly size: number
  ) {
    if (!(size >= 1)) throw new RangeError(`a pool needs at least 1 worker, got ${size}`);
  }

  async map<T, R>(
    tasks: readonly T[],
    call: (api: PoolWorker['api'], task: T) => Promise<R>,
    options: MapOptions<T, R> = {}
  ): Promise<void> {
    const { signal, init, onResult } = options;
    if (signal?.aborted) throw new CancelledError();
    let next = 0;
    let failure: Error | undefined;
    let resultChain: Promise<void> = Promise.resolve();
    const n = Math.min(this.size, tasks.length);
    while (this.workers.length < n) {
      const w = this.spawn();
      w.onExit((reason) => {
        if (this.workers.includes(w)) this.onWorkerDied?.(reason);
      });
      this.workers.push(w);
    }

    // The first failure from anywhere (a task, a result's onResult, a worker's death, the
    // signal) stops every worker and settles the map; later ones are ignored.
    let rejectAll: (e: Error) => void = () => {};
    const interrupted = new Promise<never>((_, reject) => (rejectAll = reject));
    interrupted.catch(() => {});
    const fail = (e: unknown) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      this.terminate();
      rejectAll(failure);
    };
    const onAbort = () => fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const active = this.workers.slice(0, n);
    this.onWorkerDied = (reason) => fail(new WorkerDiedError(reason));

    const loop = async (w: PoolWorker) => {
      await init?.(w.api);
      while (!failure && next < tasks.length) {
        const task = tasks[next++];
        const result = await call(w.api, task);
        // A turn of the event loop: with 0 workers the chunk ran on this thread, and a
        // signal handler (Ctrl-C) or a timer can run only between chunks.
        await yieldToEventLoop();
        if (failure) return;
        // Results are stored one at a time, in order of arrival. The worker moves on to its
        // next task while its result waits to be stored, but not further: it first waits
        // for the results before its own, so at most one result per worker is pending.
        const earlier = resultChain;
        resultChain = earlier.then(() => (failure ? undefined : onResult?.(result, task)));
        // A failed store (disk full) fails the map now, not when a worker next looks.
        resultChain.catch(fail);
        await earlier;
      }
    };
    try {
      await Promise.race([Promise.all(active.map(loop)), interrupted]);
      await resultChain;
    } catch (e) {
      fail(e);
      // The caller cleans up after a failure (deletes the rows stored so far): a store
      // still in flight must have finished first, or its rows would outlive the cleanup.
      await resultChain.catch(() => {});
      throw failure;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.onWorkerDied = undefined;
    }
    if (failure) throw failure;
  }

  /** Stops every worker; the pool spawns fresh ones on its next map. */
  terminate(): void {
    const workers = this.workers;
    this.workers = [];
    for (const w of workers) w.terminate();
  }
}

/** Resolves after pending timers and I/O callbacks (signal handlers among them) have run. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)
  );
}
