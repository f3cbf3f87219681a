/**
 * Trial runner throughput, end to end (protocol loaded, cohort generated and stored,
 * twins simulated on worker threads, every result row stored in DuckDB in memory):
 *  (a) BM1, N = 10,000 with hourly profiles stored (13.5 million observation rows);
 *  (b) the antihypertensive dose-ranging protocol, 1,000,000 twins, visit-only output.
 * Prints seconds, rows/s into DuckDB (rows as the result views show them; dense profiles
 * are stored as one list per twin and output) and the process's peak RSS (worker
 * threads included).
 *
 * Run: npm run bench -- trial [a|b] [workers]
 */
import { readProtocolFile } from '../../src/cli/protocol-file';
import { scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';

const which = process.argv[2] ?? 'ab';
const workerCounts = process.argv[3] ? [Number(process.argv[3])] : [2];

async function bench(label: string, file: string, n: number, chunkSize: number) {
  const protocol = await readProtocolFile(new URL(`../../protocols/${file}`, import.meta.url).pathname);
  for (const workers of workerCounts) {
    const db = await NodeConnector.open();
    const pool = nodeWorkerPool(workers);
    const t0 = performance.now();
    let cohortDone = NaN;
    const { runId } = await runTrial({
      db,
      pool,
      protocol,
      n,
      chunkSize,
      onProgress: () => (cohortDone = Number.isNaN(cohortDone) ? performance.now() : cohortDone)
    });
    const seconds = (performance.now() - t0) / 1000;
    const cohortSeconds = (cohortDone - t0) / 1000;
    pool.terminate();
    const rows = await scalar<number>(
      db,
      `SELECT (SELECT count(*) FROM observation) + (SELECT count(*) FROM endpoint) + (SELECT count(*) FROM event) + (SELECT count(*) FROM assignment)::DOUBLE`
    );
    const obs = await scalar<number>(db, `SELECT count(*)::DOUBLE FROM observation WHERE run_id = ${runId}`);
    await db.close();
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(
      `${label}, ${workers} worker(s): ${seconds.toFixed(2)} s, ${Number(rows).toLocaleString('en-US')} rows ` +
        `(${obs.toLocaleString('en-US')} observations), ${Math.round(Number(rows) / seconds).toLocaleString('en-US')} rows/s, ` +
        `peak RSS ${rss.toFixed(0)} MB (cohort generated and stored in ${cohortSeconds.toFixed(2)} s)`
    );
  }
}

if (which.includes('a')) await bench('(a) BM1, 10,000 twins, hourly profiles', 'bm1.yaml', 10_000, 250);
if (which.includes('b'))
  await bench(
    '(b) antihypertensive, 1,000,000 twins, visits only',
    'antihypertensive-dose-ranging.yaml',
    1_000_000,
    10_000
  );
