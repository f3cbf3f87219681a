import {
  DEFAULT_PAGE_ROWS,
  readOnlyQueryTable,
  runReadOnlyQuery,
  workspaceSchema,
  type QueryPage,
  type SchemaTable
} from '../analysis/sql-console';
import { tableToCsv, tableToParquet } from '../io/table-export';
import { download } from './download';
import { workbench } from './workbench.svelte';

const FIRST_QUERY = 'SHOW TABLES';

/**
 * The SQL page's workflow: the query being written, the page of the result shown (and
 * the query it came from, which paging and export follow whatever the editor holds
 * since), the workspace's tables and views, and the message of a query refused or
 * failed. One instance, so the work survives a visit to another page.
 */
export class SqlConsoleState {
  text = $state(FIRST_QUERY);
  /** The query whose result is shown. */
  ran = $state<string | null>(null);
  page = $state.raw<QueryPage | null>(null);
  schema = $state.raw<SchemaTable[]>([]);
  error = $state<string | null>(null);
  running = $state(false);
  exporting = $state(false);
  /** Answers that arrive after a newer request are dropped (a quick second click on Next). */
  #request = 0;

  async refreshSchema(): Promise<void> {
    const db = await workbench.open();
    this.schema = await workspaceSchema(db);
  }

  /** Runs the editor's query from its first row. */
  run(): Promise<void> {
    return this.show(this.text, 0);
  }

  /** Shows the page of the query shown that starts at `offset`. */
  goTo(offset: number): Promise<void> {
    return this.ran === null ? Promise.resolve() : this.show(this.ran, offset);
  }

  get pages(): { current: number; count: number } {
    const page = this.page;
    if (!page) return { current: 0, count: 0 };
    return {
      current: Math.floor(page.offset / page.limit) + 1,
      count: Math.max(1, Math.ceil(page.total / page.limit))
    };
  }

  /** The whole result of the query shown, downloaded as CSV or Parquet. */
  async exportAs(format: 'csv' | 'parquet'): Promise<void> {
    if (this.ran === null) return;
    this.exporting = true;
    try {
      const table = await readOnlyQueryTable(await workbench.open(), this.ran);
      if (format === 'csv') download('query-result.csv', tableToCsv(table), 'text/csv');
      else download('query-result.parquet', tableToParquet(table), 'application/vnd.apache.parquet');
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.exporting = false;
    }
  }

  private async show(sql: string, offset: number): Promise<void> {
    const request = ++this.#request;
    this.running = true;
    try {
      const page = await runReadOnlyQuery(await workbench.open(), sql, { offset, limit: DEFAULT_PAGE_ROWS });
      if (request !== this.#request) return;
      this.page = page;
      this.ran = sql;
      this.error = null;
    } catch (e) {
      if (request !== this.#request) return;
      this.page = null;
      this.ran = null;
      this.error = messageOf(e);
    } finally {
      if (request === this.#request) this.running = false;
    }
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const sqlConsole = new SqlConsoleState();
