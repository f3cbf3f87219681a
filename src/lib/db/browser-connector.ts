import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import { WasmConnector } from './wasm-connector';

/** The browser database file, kept in the origin-private file system across reloads. */
export const OPFS_PATH = 'opfs://twinbench.duckdb';

/**
 * Opens duckdb-wasm from this app's own origin (the wasm and its worker are bundled,
 * no CDN) and persists to OPFS where the browser allows it, in memory otherwise.
 * Extension autoloading is off: offline it would hang trying to download.
 */
export async function openBrowserConnector(): Promise<{ db: WasmConnector; persistent: boolean }> {
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker }
  });
  const start = async () => {
    const instance = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker!));
    await instance.instantiate(bundle.mainModule, bundle.pthreadWorker);
    return instance;
  };
  // The previous page's worker may still hold the OPFS file for a moment after a reload,
  // and a file opened then can come up readable but not writable ("File is not opened in
  // write mode" at the first commit). So an open counts only once a write has committed;
  // otherwise retry with a fresh instance before falling back to memory (which the
  // header then shows).
  for (let attempt = 0; attempt < 8; attempt++) {
    const instance = await start();
    try {
      await instance.open({ path: OPFS_PATH, accessMode: duckdb.DuckDBAccessMode.READ_WRITE, query: QUERY });
      const conn = await instance.connect();
      await conn.query(WRITE_PROBE_SQL);
      return { db: await connectorOf(instance, conn), persistent: true };
    } catch {
      await instance.terminate().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  }
  const instance = await start();
  await instance.open({ path: ':memory:', query: QUERY });
  return { db: await connectorOf(instance, await instance.connect()), persistent: false };
}

const QUERY = { castBigIntToDouble: true, castDecimalToDouble: true };

/** A write that must commit, and reach the file, before the database counts as open. */
const WRITE_PROBE_SQL = `CREATE OR REPLACE TABLE open_probe AS SELECT 1 AS x; DROP TABLE open_probe; CHECKPOINT`;

async function connectorOf(
  instance: duckdb.AsyncDuckDB,
  conn: duckdb.AsyncDuckDBConnection
): Promise<WasmConnector> {
  await conn.query(`SET autoload_known_extensions = false; SET autoinstall_known_extensions = false`);
  const db = new WasmConnector(
    conn,
    async () => {
      await instance.terminate();
    },
    () => instance.connect()
  );
  // Leaving the page releases the database file at once, so the next page load can open it.
  addEventListener('pagehide', () => void instance.terminate(), { once: true });
  return db;
}
