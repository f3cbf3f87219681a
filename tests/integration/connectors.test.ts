import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { getCohort, twinsSql } from '../../src/lib/db/cohort-store';
import { table1 } from '../../src/lib/analysis/table1';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { loadCohortSpec } from '../../src/lib/spec/load-cohort';
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

  it('builds identical Table 1s', async () => {
    const cohortN = await getCohort(native, 1);
    const cohortW = await getCohort(wasm, 1);
    const tN = await table1(native, twinsSql(cohortN), cohortN.columns, { by: 'sex' });
    const tW = await table1(wasm, twinsSql(cohortW), cohortW.columns, { by: 'sex' });
    expect(tW).toEqual(tN);
  });
});
