import { createRequire } from 'node:module';
import { WasmConnector, type WasmConnectionLike } from '../../src/lib/db/wasm-connector';

/**
 * duckdb-wasm running in Node through its blocking bindings, for tests that prove the
 * browser's database answers SQL exactly as native DuckDB does.
 */
const require = createRequire(import.meta.url);

export async function openWasmInNode(): Promise<WasmConnector> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm').replace(/duckdb-eh\.wasm$/, '');
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: '' },
      eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: '' }
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME
  );
  await db.instantiate();
  db.open({ path: ':memory:', query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = db.connect() as WasmConnectionLike;
  conn.query('SET autoload_known_extensions = false');
  return new WasmConnector(conn, undefined, () => db.connect() as WasmConnectionLike);
}
