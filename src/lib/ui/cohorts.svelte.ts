import { deleteCohort } from '../db/cohort-store';
import { loadCohortSpec } from '../load/load-cohort';
import { generateCohort } from '../runner/generate-cohort';
import { CancelledError } from '../runner/pool';
import type { CohortSpec } from '../spec/cohort-schema';
import { shippedCohorts } from './shipped-cohorts';
import { checkSpec, SpecDraft } from './spec-draft.svelte';
import { workbench } from './workbench.svelte';

const DEFAULT =
  shippedCohorts.find((c) => c.file.startsWith('adults'))?.file ?? shippedCohorts[0]?.file ?? '';

/**
 * The Cohorts page's workflow: the cohort spec being edited (shipped, saved in the
 * workspace, uploaded or typed), generation with its progress and cancellation, and
 * which stored cohort is shown. One instance, so the work survives a visit to another
 * page.
 */
export class CohortsState {
  readonly draft = new SpecDraft<CohortSpec>('cohort', (text, file) =>
    checkSpec(() => loadCohortSpec(text, file))
  );
  selectedId = $state<number | null>(null);
  progress = $state<{ done: number; total: number; started: number } | null>(null);
  message = $state<string | null>(null);
  #controller: AbortController | null = null;

  constructor() {
    this.pick(DEFAULT);
  }

  /** Starts again from a shipped cohort spec. */
  pick(file: string): void {
    this.draft.openShipped(file, shippedCohorts.find((c) => c.file === file)?.text ?? '');
  }

  /** The stored cohort shown (complete ones only). */
  readonly selected = $derived(
    workbench.cohorts.find((c) => c.cohortId === this.selectedId && c.status === 'complete')
  );

  /** Opens the workspace, lists the saved specs, and shows the last complete cohort if none is. */
  async open(): Promise<void> {
    const db = await workbench.open();
    await this.draft.refresh(db);
    if (this.selected === undefined)
      this.selectedId = workbench.cohorts.filter((c) => c.status === 'complete').at(-1)?.cohortId ?? null;
  }

  /** Generates the twins of the current spec (refused while its text has problems). */
  async generate(): Promise<void> {
    const spec = this.draft.checked.value;
    const { db, pool } = workbench;
    if (!spec || !db || !pool || this.progress) return;
    this.message = null;
    const controller = new AbortController();
    this.#controller = controller;
    this.progress = { done: 0, total: spec.n, started: performance.now() };
    try {
      const { cohortId } = await generateCohort({
        db,
        pool,
        spec,
        signal: controller.signal,
        onProgress: (done, total) => {
          if (this.progress) this.progress = { ...this.progress, done, total };
        }
      });
      this.selectedId = cohortId;
      // Fold the write-ahead log into the OPFS file now, not at some later close.
      await db.exec('CHECKPOINT').catch(() => {});
    } catch (e) {
      this.message =
        e instanceof CancelledError ? 'Generation cancelled; nothing was stored.' : (e as Error).message;
    } finally {
      this.progress = null;
      this.#controller = null;
      await workbench.refreshCohorts();
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /** Deletes a stored cohort and its twins (the page asks first). */
  async remove(id: number): Promise<void> {
    if (!workbench.db) return;
    await deleteCohort(workbench.db, id);
    if (this.selectedId === id) this.selectedId = null;
    await workbench.refreshCohorts();
  }
}

export const cohorts = new CohortsState();
