import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { getCohort, twinsSql } from '../../src/lib/db/cohort-store';
import { table1 } from '../../src/lib/analysis/table1';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';
import { openWasmInNode } from '../helpers/wasm-in-node';

const spec = loadCohortSpec(readFileSync('cohorts/adults-nhanes.yaml', 'utf8'));

describe('native DuckDB and duckdb-wasm answer the same SQL the same way', () => {
  let native: Connector;
  let wasm: Connector;
  beforeAll(async () => {
    native = await NodeConnector.open();
    wasm = await openWasmInNode();
    // The same cohort generated into each database through the Connector interface.
    for (const db of [native, wasm]) {
      await generateCohort({ db, pool: nodeWorkerPool(0), spec, n: 2000, chunkSize: 700 });
    }
  });
  afterAll(async () => {
    await native?.close();
    await wasm?.close();
  });

  it('stores identical twins', async () => {
    const sql = `SELECT * FROM twin ORDER BY twin_id`;
    const a = rowsOf(await native.query(sql));
    const b = rowsOf(await wasm.query(sql));
    expect(a.length).toBe(2000);
    expect(b).toEqual(a);
  });

  it('computes identical aggregates, quantiles and window results', async () => {
    const sql = `
      SELECT sex, count(*) AS n, avg(weight) AS mean_wt, stddev_samp(height) AS sd_ht,
             quantile_cont(egfr, [0.25, 0.5, 0.75])::VARCHAR AS q, corr(height, weight) AS r,
             sum(twin_id)::BIGINT AS ids
      FROM twin GROUP BY sex ORDER BY sex`;
    const a = rowsOf(await native.query(sql));
    const b = rowsOf(await wasm.query(sql));
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
  });

  // A query that matches nothing is an ordinary result (a header-only CSV, a filter that keeps no
  // rows): zero rows with the same columns and types as when rows come back.
  it('return zero-row results with the columns and types of the same query with rows', async () => {
    const sql = (where: string) =>
      `SELECT 1::INTEGER AS i, 2::BIGINT AS big, 1.5::DOUBLE AS d, 1.25::DECIMAL(5, 2) AS dec, ` +
      `'a' AS s, true AS b, DATE '2024-01-02' AS day FROM range(3) ${where}`;
    const typesOf = (t: Table) => t.schema.fields.map((f) => `${f.name}: ${f.type}`);
    for (const db of [native, wasm]) {
      const some = await db.query(sql(''));
      const none = await db.query(sql('WHERE false'));
      expect(some.numRows, db.kind).toBe(3);
      expect(none.numRows, db.kind).toBe(0);
      expect(typesOf(none), db.kind).toEqual(typesOf(some));
      expect(rowsOf(none), db.kind).toEqual([]);
    }
    // and the same types on both (but dates: ISO text in Node, Arrow dates in the browser)
    const noDay = (t: Table) => typesOf(t).filter((f) => !f.startsWith('day:'));
    expect(noDay(await wasm.query(sql('WHERE false')))).toEqual(
      noDay(await native.query(sql('WHERE false')))
    );
  });

  it('builds identical Table 1s', async () => {
    const cohortN = await getCohort(native, 1);
    const cohortW = await getCohort(wasm, 1);
    const tN = await table1(native, twinsSql(cohortN), cohortN.columns, { by: 'sex' });
    const tW = await table1(wasm, twinsSql(cohortW), cohortW.columns, { by: 'sex' });
    expect(tW).toEqual(tN);
  });
});
