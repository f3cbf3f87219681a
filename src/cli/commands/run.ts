import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { rowsOf, sqlString } from '../../lib/db/connector';
import { NodeConnector } from '../../lib/db/node-connector';
import { exportRelation } from '../../lib/io/twin-file';
import { nodeWorkerPool } from '../../lib/runner/node-workers';
import { runTrial } from '../../lib/runner/run-trial';
import { action, positiveInt, positiveTime } from '../errors';
import { chunkSizeOption, nOption, seedOption, workersOption } from '../options';
import { progressReporter } from '../progress';
import { readProtocolFile } from '../protocol-file';

interface RunOptions {
  n?: number;
  seed?: number;
  replicates?: number;
  /** Hours; false from --no-dense. */
  dense?: number | false;
  workers: number;
  chunkSize?: number;
  db: string;
  out?: string;
}

const RESULT_TABLES = ['run', 'assignment', 'observation', 'event', 'endpoint'] as const;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a virtual trial from a protocol into a DuckDB file (and Parquet files with --out)')
    .argument('<protocol.yaml>', 'trial protocol (see protocols/)')
    .addOption(nOption('protocol'))
    .addOption(seedOption('protocol'))
    .option(
      '--replicates <m>',
      'independent replicate trials (overrides the protocol)',
      positiveInt('--replicates')
    )
    .option(
      '--dense <time>',
      "also store every twin's profile on this grid, such as 1h (overrides the protocol)",
      positiveTime('--dense')
    )
    .option('--no-dense', 'store visit observations only (overrides the protocol)')
    .addOption(workersOption())
    .addOption(chunkSizeOption())
    .option('--db <file>', 'DuckDB file to write (created if missing)', 'twinbench.duckdb')
    .option('--out <dir>', 'also write each result table of the run as <dir>/<table>.parquet')
    .action(action(runProtocol));
}

async function runProtocol(file: string, options: RunOptions): Promise<void> {
  const protocol = await readProtocolFile(file);
  mkdirSync(dirname(options.db), { recursive: true });
  const db = await NodeConnector.open(options.db);
  const pool = nodeWorkerPool(options.workers);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const cohortProgress = progressReporter('cohort');
    const progress = progressReporter('twins');
    let simulating = false;
    const { runId, seconds } = await runTrial({
      db,
      pool,
      protocol,
      n: options.n,
      seed: options.seed,
      replicates: options.replicates,
      dense: options.dense === false ? null : options.dense,
      chunkSize: options.chunkSize,
      onCohortProgress: cohortProgress.update,
      onProgress: (done, total) => {
        if (!simulating) cohortProgress.finish();
        simulating = true;
        progress.update(done, total);
      },
      signal: controller.signal
    });
    progress.finish();
    const counts = rowsOf<{ t: string; n: number }>(
      await db.query(
        ['assignment', 'observation', 'event', 'endpoint']
          .map((t) => `SELECT '${t}' AS t, count(*)::DOUBLE AS n FROM ${t} WHERE run_id = ${runId}`)
          .join(' UNION ALL ')
      )
    );
    const rows = counts.reduce((a, c) => a + c.n, 0);
    process.stdout.write(
      `run ${runId} complete in ${seconds.toFixed(2)} s: ${counts.map((c) => `${c.n} ${c.t}`).join(', ')} rows ` +
        `(${Math.round(rows / seconds).toLocaleString('en-US')} rows/s) in ${options.db}\n`
    );
    const armList = `[${protocol.arms.map((a) => sqlString(a.name)).join(', ')}]`;
    const summary = rowsOf<{
      endpoint: string;
      arm: string;
      n: number;
      missing: number;
      mean: number | null;
      sd: number | null;
    }>(
      await db.query(
        `SELECT endpoint, arm, count(*)::DOUBLE AS n, (count(*) - count(value))::DOUBLE AS missing, avg(value)::DOUBLE AS mean, ` +
          `stddev_samp(value)::DOUBLE AS sd FROM endpoint WHERE run_id = ${runId} AND replicate = 0 GROUP BY endpoint, arm ` +
          `ORDER BY list_position(${armList}, arm), endpoint`
      )
    );
    for (const s of summary) {
      process.stdout.write(
        `  ${s.endpoint.padEnd(24)} ${s.arm.padEnd(16)} n=${s.n} missing=${s.missing} mean=${s.mean?.toPrecision(4) ?? '–'} sd=${s.sd?.toPrecision(4) ?? '–'}\n`
      );
    }
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      for (const table of RESULT_TABLES) {
        await exportRelation(
          db,
          `SELECT * FROM ${table} WHERE run_id = ${runId}`,
          join(options.out, `${table}.parquet`)
        );
      }
      process.stdout.write(
        `wrote ${RESULT_TABLES.map((t) => `${t}.parquet`).join(', ')} to ${options.out}\n`
      );
    }
  } finally {
    process.off('SIGINT', onSigint);
    pool.terminate();
    await db.close();
  }
}
