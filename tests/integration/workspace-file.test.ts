import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { RUN_SCHEMA_SQL } from '../../src/lib/db/run-store';
import { ensureSchema } from '../../src/lib/db/schema';
import {
  exportWorkspace,
  importWorkspace,
  readWorkspaceHeader,
  WorkspaceFileError
} from '../../src/lib/db/workspace-file';

/** Every table's rows hashed in a fixed order, and the views' names: equal means the same workspace. */
async function fingerprint(db: NodeConnector) {
  const tables = rowsOf<{ name: string }>(
    await db.query(`SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1`)
  ).map((t) => t.name);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = rowsOf<{ h: string; n: number; types: string }>(
      await db.query(
        `SELECT md5(coalesce(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR), '')) AS h, count(*)::INTEGER AS n FROM "${t}" x`
      )
    )[0];
    const types = rowsOf<{ types: string }>(
      await db.query(
        `SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) AS types FROM duckdb_columns() WHERE table_name = '${t}'`
      )
    )[0].types;
    out[t] = `${r.n} ${r.h} (${types})`;
  }
  const views = rowsOf<{ name: string }>(
    await db.query(`SELECT view_name AS name FROM duckdb_views() WHERE NOT internal ORDER BY 1`)
  ).map((v) => v.name);
  return { tables: out, views };
}

describe('workspace file', () => {
  let a: NodeConnector;
  let b: NodeConnector;
  beforeAll(async () => {
    a = await NodeConnector.open();
    b = await NodeConnector.open();
    await ensureSchema(a);
    await a.exec(RUN_SCHEMA_SQL);
    await a.exec(
      `INSERT INTO cohort (cohort_id, name, seed, spec, columns, n_enrolled, status, created_at, app_version)
         VALUES (1, 'it''s a cohort ✓', 9007199254740991, '{"n":3}', '["age"]', NULL, 'complete', TIMESTAMP '2026-01-02 03:04:05.678', '0.1.0');
       ALTER TABLE twin ADD COLUMN age DOUBLE;
       INSERT INTO twin SELECT 1, i, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3 END FROM range(1, 5001) t(i);
       INSERT INTO profile_data VALUES (1, 0, 1, 2, 3, 0.5, [1.5, NULL, -2.25]), (1, 0, 2, 0, 1, 0, []);
       INSERT INTO event_data VALUES (1, 0, 1, 2, 1, NULL, 'NaN'::DOUBLE);
       INSERT INTO endpoint_data VALUES (1, 0, 1, 2, 0, -1e-300, 1);
       CREATE TABLE flags (ok BOOLEAN, big BIGINT, d DATE); INSERT INTO flags VALUES (true, -5, DATE '2020-02-29'), (NULL, NULL, NULL);`
    );
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('round-trips every table (equal row hashes and column types) and view, replacing what was there', async () => {
    await b.exec(`CREATE TABLE stale (x INTEGER); INSERT INTO stale VALUES (1)`);
    const bytes = await exportWorkspace(a);
    const { header } = readWorkspaceHeader(bytes);
    expect(header.format).toBe(1);
    expect(header.tables.find((t) => t.name === 'twin')?.rows).toBe(5000);
    expect(await importWorkspace(b, bytes)).toEqual({ tables: header.tables.length, rows: 5007 });
    const before = await fingerprint(a);
    expect(await fingerprint(b)).toEqual(before);
    expect(before.views).toContain('endpoint');
    expect(Object.keys(before.tables)).not.toContain('stale');
  });

  it('refuses a foreign, newer, damaged or cut-short file with a message and leaves the workspace as it was', async () => {
    const bytes = await exportWorkspace(a);
    const before = await fingerprint(b);
    const refused = async (file: Uint8Array) => {
      try {
        await importWorkspace(b, file);
      } catch (e) {
        expect(e).toBeInstanceOf(WorkspaceFileError);
        return (e as Error).message;
      }
      return 'imported';
    };
    expect(await refused(new TextEncoder().encode('PAR1 not ours'))).toMatch(
      /not a Twinbench workspace file/
    );
    const text = new TextDecoder('latin1').decode(bytes);
    const newer = text.replace('"format":1', '"format":2');
    expect(await refused(Uint8Array.from(newer, (c) => c.charCodeAt(0)))).toMatch(
      /made by a newer Twinbench \(0\.1\.0, file format 2\); this is 0\.1\.0, which reads format 1/
    );
    expect(await refused(bytes.subarray(0, bytes.length - 10))).toMatch(/cut short/);
    expect(await refused(bytes.subarray(0, 40))).toMatch(/header is incomplete|cut short/);
    expect(await fingerprint(b)).toEqual(before);
  });
});
