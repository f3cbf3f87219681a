import { compartmentsCsv, runNonmemDataset } from '../analysis/nonmem-dataset';
import { storedRun, type StoredRun } from '../analysis/run-plan';
import { twinStoryOf, type TwinStory } from '../analysis/twin-story';
import { tableToCsv } from '../io/table-export';
import { download } from './download';
import { workbench } from './workbench.svelte';

/**
 * The twin page's workflow: a run, one twin's story and optionally a second twin's beside
 * it, the message of a lookup that failed, and the run's NONMEM dataset download.
 */
export class TwinStoryState {
  stories = $state.raw<TwinStory[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);
  exporting = $state(false);
  #run: StoredRun | null = null;
  /** Answers that arrive after a newer request are dropped. */
  #request = 0;

  /** Shows twin `twin` of run `runId`, and twin `compare` beside it when given. */
  async show(runId: number, twin: number, compare: number | null): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.error = null;
    try {
      const db = await workbench.open();
      if (this.#run?.runId !== runId) this.#run = await storedRun(db, runId);
      const run = this.#run;
      const ids = compare === null || compare === twin ? [twin] : [twin, compare];
      const stories: TwinStory[] = [];
      for (const id of ids) stories.push(await twinStoryOf(db, run, id));
      if (request === this.#request) this.stories = stories;
    } catch (e) {
      if (request !== this.#request) return;
      this.stories = [];
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Downloads the run as a NONMEM dataset (CSV) and the table naming its CMT numbers. */
  async exportNonmem(runId: number): Promise<void> {
    this.exporting = true;
    this.error = null;
    try {
      const db = await workbench.open();
      const { table, compartments } = await runNonmemDataset(db, runId);
      download(`run-${runId}-nonmem.csv`, tableToCsv(table), 'text/csv');
      download(`run-${runId}-nonmem.cmt.csv`, compartmentsCsv(compartments), 'text/csv');
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.exporting = false;
    }
  }
}

export const twinStoryState = new TwinStoryState();
