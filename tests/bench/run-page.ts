/**
 * The results page of a large run (issue 11's bar: a run page for 200,000 twins in under
 * 2 s): a trial of N twins (default 200,000) of the antihypertensive dose-ranging protocol
 * (four arms, visit-only output) is run into native DuckDB and into duckdb-wasm (running in
 * Node, as the browser's workspace stores a run), and `runResults` (everything the
 * page shows: endpoint summaries, trial flow, Table 1 by arm, percentile bands, spaghetti,
 * waterfalls) is timed on both, with each part's time on duckdb-wasm.
 *
 * Run: npm run bench -- run-page [N]
 */
import { readProtocolFile } from '../../src/cli/protocol-file';
import { runResults } from '../../src/lib/analysis/run-results';
import { runTable1 } from '../../src/lib/analysis/run-table1';
import { runBands } from '../../src/lib/analysis/run-bands';
import { runFlow } from '../../src/lib/analysis/run-flow';
import { endpointSummary } from '../../src/lib/analysis/run-summary';
import { runSpaghetti } from '../../src/lib/analysis/run-spaghetti';
import { runWaterfall } from '../../src/lib/analysis/run-waterfall';
import type { Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { listRuns } from '../../src/lib/db/run-store';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { openWasmInNode } from '../helpers/wasm-in-node';

const N = Number(process.argv[2] ?? 200_000);
const protocol = await readProtocolFile(
  new URL('../../protocols/antihypertensive-dose-ranging.yaml', import.meta.url).pathname
);
// The same run in each database, as the browser (duckdb-wasm) and the CLI (native) store it.
const pool = nodeWorkerPool(2);
const native = await NodeConnector.open();
const wasm = await openWasmInNode();
let runId = 0;
for (const db of [native, wasm]) {
  const t0 = performance.now();
  runId = (await runTrial({ db, pool, protocol, n: N })).runId;
  console.log(
    `run-page: ${N.toLocaleString('en-US')} twins simulated and stored in ${db.kind === 'node' ? 'native DuckDB' : 'duckdb-wasm'} ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s`
  );
}
pool.terminate();

async function time<T>(f: () => Promise<T>): Promise<number> {
  const best = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await f();
    best.push(performance.now() - t0);
  }
  return Math.min(...best) / 1000;
}

for (const [label, db] of [
  ['native DuckDB', native],
  ['duckdb-wasm  ', wasm]
] as [string, Connector][]) {
  const run = (await listRuns(db)).find((r) => r.runId === runId)!;
  const all = await time(() => runResults(db, run, 'placebo'));
  const parts = {
    summary: await time(() => endpointSummary(db, runId, run.arms)),
    flow: await time(() => runFlow(db, runId)),
    table1: await time(() => runTable1(db, run)),
    bands: await time(() => runBands(db, run)),
    spaghetti: await time(() => runSpaghetti(db, runId, 50)),
    waterfall: await time(() => runWaterfall(db, runId, 'sbp_change_w12', 200))
  };
  console.log(
    `  ${label}: the page's results in ${all.toFixed(2)} s (best of 3); parts alone: ` +
      Object.entries(parts)
        .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
        .join(', ')
  );
}
await native.close();
