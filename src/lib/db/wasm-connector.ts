import { tableToIPC, type Table } from 'apache-arrow';
import type { Connector } from './connector';

/**
 * The part of a duckdb-wasm connection we use. Both AsyncDuckDBConnection (browser)
 * and the blocking Node bindings' connection (tests) fit it, so one class serves both.
 */
export interface WasmConnectionLike {
  query(sql: string): Promise<Table> | Table;
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create: boolean }): unknown;
  close(): unknown;
}

/**
 * duckdb-wasm behind the Connector interface. Inserts go through Arrow IPC bytes rather
 * than insertArrowTable: with two copies of apache-arrow loaded (ESM and CJS) the
 * latter silently inserts nothing.
 */
export class WasmConnector implements Connector {
  readonly kind = 'wasm' as const;
  /** A web page has no process id; its work is recognised as the browser's. */
  readonly writer = { pid: 0, host: 'browser' };

  constructor(
    private readonly conn: WasmConnectionLike,
    private readonly onClose?: () => Promise<void> | void
  ) {}

  async query(sql: string): Promise<Table> {
    return await this.conn.query(sql);
  }

  async exec(sql: string): Promise<void> {
    await this.conn.query(sql);
  }

  async insertArrow(table: string, data: Table): Promise<void> {
    if (data.numRows === 0) return;
    await this.conn.insertArrowFromIPCStream(tableToIPC(data, 'stream'), { name: table, create: false });
  }

  async close(): Promise<void> {
    await this.conn.close();
    await this.onClose?.();
  }
}
