import { deleteRun, listRuns, setRunNotes, type RunRecord } from '../db/run-store';
import type { ResolvedProtocol } from '../engine/trial';
import { CancelledError } from '../runner/pool';
import { runTrial } from '../runner/run-trial';
import { workbench } from './workbench.svelte';

export interface RunProgress {
  name: string;
  /** Twin-simulations done and total (twins × replicates); 0 of total while the cohort is generated. */
  done: number;
  total: number;
  /** performance.now() at the first simulation progress (rate and ETA start there). */
  simulatingSince: number | null;
  /** Twins of the cohort generated so far, and how many it will have (before simulating). */
  cohort: { done: number; total: number } | null;
  started: number;
}

/**
 * Trial runs in the browser: the stored runs (from the workbench database) and the one
 * run in progress, kept here rather than in a page so a run goes on, and its progress
 * stays visible, while the user moves between pages.
 */
export class Runs {
  list = $state.raw<RunRecord[]>([]);
  progress = $state<RunProgress | null>(null);
  /** The outcome of the last run started here. */
  last = $state<{ runId?: number; status: 'complete' | 'failed' | 'cancelled'; message?: string } | null>(
    null
  );
  private controller: AbortController | null = null;

  async refresh(): Promise<void> {
    if (workbench.db) this.list = await listRuns(workbench.db);
  }

  get running(): boolean {
    return this.progress !== null;
  }

  /** Runs a trial on the workbench's database and worker pool; resolves when it ends. */
  async start(
    protocol: ResolvedProtocol,
    options: { n: number; seed: number; replicates: number; dense: number | null }
  ) {
    const db = workbench.db ?? (await workbench.open());
    const pool = workbench.pool;
    if (!pool || this.progress) return;
    this.controller = new AbortController();
    this.last = null;
    const started = performance.now();
    this.progress = {
      name: protocol.name,
      done: 0,
      total: options.n * options.replicates,
      simulatingSince: null,
      cohort: null,
      started
    };
    const before = this.list.map((r) => r.runId);
    try {
      const { runId } = await runTrial({
        db,
        pool,
        protocol,
        n: options.n,
        seed: options.seed,
        replicates: options.replicates,
        dense: options.dense,
        signal: this.controller.signal,
        onCohortProgress: (done, total) => {
          if (this.progress) this.progress = { ...this.progress, cohort: { done, total } };
        },
        onProgress: (done, total) => {
          if (!this.progress) return;
          this.progress = {
            ...this.progress,
            done,
            total,
            simulatingSince: this.progress.simulatingSince ?? performance.now()
          };
        }
      });
      this.last = { runId, status: 'complete' };
    } catch (e) {
      await this.refresh();
      const runId = this.list.find((r) => !before.includes(r.runId))?.runId;
      this.last =
        e instanceof CancelledError
          ? { runId, status: 'cancelled', message: 'Run cancelled; its partial results were dropped.' }
          : { runId, status: 'failed', message: e instanceof Error ? e.message : String(e) };
    } finally {
      // Move the run from duckdb-wasm's write-ahead log into the OPFS database file.
      await db.exec('CHECKPOINT').catch(() => {});
      this.progress = null;
      this.controller = null;
      await this.refresh();
      await workbench.refreshCohorts();
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Saves a run's label and notes; the message says why when it cannot. */
  async saveNotes(runId: number, label: string, notes: string): Promise<string | null> {
    const db = workbench.db ?? (await workbench.open());
    try {
      await setRunNotes(db, runId, { label, notes });
      await db.exec('CHECKPOINT').catch(() => {});
      await this.refresh();
      return null;
    } catch (e) {
      return `The notes of run #${runId} could not be saved: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Deletes an ended run with the cohort it generated (the page asks first). */
  async remove(runId: number): Promise<string | null> {
    const db = workbench.db ?? (await workbench.open());
    let message: string | null = null;
    try {
      await deleteRun(db, runId);
      await db.exec('CHECKPOINT').catch(() => {});
    } catch (e) {
      message = `Run #${runId} could not be deleted: ${e instanceof Error ? e.message : String(e)}`;
    }
    await this.refresh();
    await workbench.refreshCohorts();
    return message;
  }
}

export const runs = new Runs();
