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
  const worker = new Worker(bundle.mainWorker!);
  const instance = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await instance.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const query = { castBigIntToDouble: true, castDecimalToDouble: true };
  // The previous page's worker may still hold the OPFS file for a moment after a reload:
  // retry before falling back to memory (which the header then shows).
  let persistent = false;
  for (let attempt = 0; attempt < 8 && !persistent; attempt++) {
    try {
      await instance.open({ path: OPFS_PATH, accessMode: duckdb.DuckDBAccessMode.READ_WRITE, query });
      persistent = true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  }
  if (!persistent) await instance.open({ path: ':memory:', query });
  const conn = await instance.connect();
  await conn.query(`SET autoload_known_extensions = false; SET autoinstall_known_extensions = false`);
  const db = new WasmConnector(conn, async () => {
    await instance.terminate();
  });
  // Leaving the page releases the database file at once, so the next page load can open it.
  addEventListener('pagehide', () => void instance.terminate(), { once: true });
  return { db, persistent };
}
