import { tableToIPC, type Table } from 'apache-arrow';
import type { Connector, ReadOnlySession } from './connector';

/**
 * The part of a duckdb-wasm connection we use. Both AsyncDuckDBConnection (browser)
 * and the blocking Node bindings' connection (tests) fit it, so one class serves both.
 */
export interface WasmConnectionLike {
  query(sql: string): Promise<Table> | Table;
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create: boolean }): unknown;
  prepare(sql: string): Promise<PreparedLike> | PreparedLike;
  close(): unknown;
}

/** A prepared statement of either connection. */
interface PreparedLike {
  query(): Promise<Table> | Table;
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

  /** `connect` opens another connection to the same database (for readOnlySession). */
  constructor(
    private readonly conn: WasmConnectionLike,
    private readonly onClose?: () => Promise<void> | void,
    private readonly connect?: () => Promise<WasmConnectionLike> | WasmConnectionLike
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

  async readOnlySession(): Promise<ReadOnlySession> {
    if (!this.connect) throw new Error('this database was opened without a way to open another connection');
    const conn = await this.connect();
    try {
      await conn.query('BEGIN TRANSACTION READ ONLY');
    } catch (e) {
      await conn.close();
      throw e;
    }
    return {
      query: async (sql) => {
        const statement = await conn.prepare(sql);
        try {
          return await statement.query();
        } finally {
          await statement.close();
        }
      },
      close: async () => {
        try {
          await conn.query('ROLLBACK');
        } finally {
          await conn.close();
        }
      }
    };
  }

  async close(): Promise<void> {
    await this.conn.close();
    await this.onClose?.();
  }
}
