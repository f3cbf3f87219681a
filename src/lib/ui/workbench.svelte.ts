import { listCohorts, type CohortRecord } from '../db/cohort-store';
import type { Connector } from '../db/connector';
import { recoverInterrupted } from '../db/recover';
import type { WorkerPool } from '../runner/pool';

/**
 * The page-wide state of the workbench: the browser database (duckdb-wasm in OPFS),
 * the worker pool, and the stored cohorts. One instance, created on first use.
 */
export class Workbench {
  db = $state.raw<Connector | null>(null);
  persistent = $state(false);
  error = $state<string | null>(null);
  cohorts = $state.raw<CohortRecord[]>([]);
  pool: WorkerPool | null = null;
  private opening: Promise<Connector> | null = null;

  /** Opens the database and worker pool once per page load. */
  open(): Promise<Connector> {
    this.opening ??= (async () => {
      try {
        const [{ openBrowserConnector }, { browserWorkerPool }] = await Promise.all([
          import('../db/browser-connector'),
          import('../runner/browser-workers')
        ]);
        const { db, persistent } = await openBrowserConnector();
        // One page at a time holds the OPFS database, so any work still marked running
        // was left by a page that was closed or reloaded: marked interrupted, rows deleted.
        const notes = await recoverInterrupted(db, () => false);
        for (const note of notes) console.warn(`database: ${note}`);
        this.pool = browserWorkerPool();
        this.persistent = persistent;
        this.db = db;
        await this.refreshCohorts();
        return db;
      } catch (e) {
        this.error = `The database could not be opened: ${e instanceof Error ? e.message : String(e)}`;
        throw e;
      }
    })();
    return this.opening;
  }

  async refreshCohorts(): Promise<void> {
    if (this.db) this.cohorts = await listCohorts(this.db);
  }
}

export const workbench = new Workbench();
