import type { ResolvedProtocol } from '../engine/trial';
import { CancelledError, type WorkerPool } from '../runner/pool';
import type { PowerResult, SizePower } from '../runner/power';

export interface PowerSettings {
  /** the shipped protocol file */
  file: string;
  sizes: number[];
  replicates: number;
  alpha: number;
  delta?: number;
  targetPower?: number;
  /** every arm given the control's treatment: the rejection rate is the type I error */
  nullScenario?: boolean;
}

export interface PowerRunProgress {
  /** the size being evaluated and its replicates done */
  n: number;
  done: number;
  replicates: number;
  /** sizes finished (the target search adds sizes beyond those asked for) */
  finished: number;
  asked: number;
  started: number;
}

/**
 * Power analyses in the browser: the one in progress (its partial curve fills in as
 * replicate waves finish) and the last result with the settings that produced it. Kept
 * out of the page so an analysis goes on while the user looks at other pages. It runs
 * on a worker pool of its own, so it never competes with a trial run for the workbench's.
 */
export class PowerRuns {
  settings = $state.raw<PowerSettings | null>(null);
  /** sizes as far as they have run: the curve drawn while running */
  sizes = $state.raw<SizePower[]>([]);
  result = $state.raw<PowerResult | null>(null);
  progress = $state<PowerRunProgress | null>(null);
  message = $state<string | null>(null);
  private controller: AbortController | null = null;

  get running(): boolean {
    return this.progress !== null;
  }

  async start(protocol: ResolvedProtocol, settings: PowerSettings): Promise<void> {
    if (this.progress) return;
    const [{ runPower }, { browserWorkerPool }] = await Promise.all([
      import('../runner/power'),
      import('../runner/browser-workers')
    ]);
    const pool: WorkerPool = browserWorkerPool();
    this.controller = new AbortController();
    this.settings = settings;
    this.sizes = [];
    this.result = null;
    this.message = null;
    this.progress = {
      n: Math.min(...settings.sizes),
      done: 0,
      replicates: settings.replicates,
      finished: 0,
      asked: settings.sizes.filter((n, i, all) => all.indexOf(n) === i).length,
      started: performance.now()
    };
    try {
      this.result = await runPower({
        pool,
        protocol,
        sizes: settings.sizes,
        replicates: settings.replicates,
        alpha: settings.alpha,
        delta: settings.delta,
        targetPower: settings.targetPower,
        nullScenario: settings.nullScenario,
        signal: this.controller.signal,
        onProgress: (u) => {
          this.sizes = u.sizes;
          if (this.progress) {
            this.progress = {
              ...this.progress,
              n: u.n,
              done: u.done,
              finished: u.sizes.length - (u.done < u.total ? 1 : 0)
            };
          }
        }
      });
      this.sizes = this.result.sizes;
    } catch (e) {
      this.message =
        e instanceof CancelledError
          ? 'Cancelled: the curve shows the replicates finished before.'
          : e instanceof Error
            ? e.message
            : String(e);
    } finally {
      pool.terminate();
      this.progress = null;
      this.controller = null;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }
}

export const powerRuns = new PowerRuns();
