import { join } from 'node:path';
import type { Command } from 'commander';
import { estimandTruth } from '../../lib/analysis/estimand-truth';
import { endpointSummary, RUN_RESULT_VIEWS, runRowCounts } from '../../lib/analysis/run-summary';
import { trialFlow } from '../../lib/analysis/trial-flow';
import { exportFiles } from '../../lib/node/export-files';
import { nodeWorkerPool } from '../../lib/runner/node-workers';
import { runTrial } from '../../lib/runner/run-trial';
import { abortableReads } from '../abortable-db';
import { openDatabase } from '../database';
import { action, positiveTime } from '../errors';
import { listenForInterrupts } from '../interrupt';
import { chunkSizeOption, nOption, replicatesOption, seedOption, workersOption } from '../options';
import { progressReporter } from '../progress';
import { readProtocolFile } from '../protocol-file';
import type { ResolvedProtocol } from '../../lib/engine/trial';
import { runShard } from '../../lib/node/shard/run-shard';
import { parseShard } from '../../lib/node/shard/shard-range';
import { shardOption, shardOutDir } from '../shard-option';

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
  shard?: string;
}

const RESULT_TABLES = ['run', ...RUN_RESULT_VIEWS] as const;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a virtual trial from a protocol into a DuckDB file (and Parquet files with --out)')
    .argument('<protocol.yaml>', 'trial protocol (see protocols/)')
    .addOption(nOption('protocol'))
    .addOption(seedOption('protocol'))
    .addOption(replicatesOption('independent replicate trials (overrides the protocol)'))
    .option(
      '--dense <time>',
      "also store every twin's profile on this grid, such as 1h (overrides the protocol)",
      positiveTime('--dense')
    )
    .option('--no-dense', 'store visit observations only (overrides the protocol)')
    .addOption(workersOption())
    .addOption(chunkSizeOption())
    .option('--db <file>', 'DuckDB file to write (created if missing)', 'twinbench.duckdb')
    .option(
      '--out <dir>',
      'also write each result table of the run as <dir>/<table>.parquet (with --shard: the folder of the shards)'
    )
    .addOption(shardOption('twins'))
    .action(action(runProtocol));
}

/** The progress bars of a run: the cohort's, then the simulations'. */
function trialProgress() {
  const cohortProgress = progressReporter('cohort');
  const progress = progressReporter('twins');
  let simulating = false;
  return {
    onCohortProgress: cohortProgress.update,
    onProgress: (done: number, total: number) => {
      if (!simulating) cohortProgress.finish();
      simulating = true;
      progress.update(done, total);
    },
    finish: () => progress.finish()
  };
}

/** The run's overrides of its protocol, as the options give them. */
function overrides(options: RunOptions) {
  return {
    n: options.n,
    seed: options.seed,
    replicates: options.replicates,
    dense: options.dense === false ? null : options.dense,
    chunkSize: options.chunkSize
  };
}

async function runProtocol(file: string, options: RunOptions): Promise<void> {
  const protocol = await readProtocolFile(file);
  if (options.shard !== undefined) return runProtocolShard(protocol, options);
  const db = await openDatabase(options.db);
  const interrupts = listenForInterrupts();
  interrupts.onInterrupt(() => db.interrupt());
  const pool = nodeWorkerPool(options.workers);
  try {
    const progress = trialProgress();
    const { runId, seconds } = await runTrial({
      db,
      pool,
      protocol,
      ...overrides(options),
      ...progress,
      signal: interrupts.signal
    });
    progress.finish();
    // The run is complete and stays so; a signal from here on stops only the reading.
    const reads = abortableReads(db, interrupts.signal);
    const counts = await runRowCounts(reads, runId);
    const rows = counts.reduce((a, c) => a + c.rows, 0);
    process.stdout.write(
      `run ${runId} complete in ${seconds.toFixed(2)} s: ${counts.map((c) => `${c.rows} ${c.table}`).join(', ')} rows ` +
        `(${Math.round(rows / seconds).toLocaleString('en-US')} rows/s) in ${options.db}\n`
    );
    const summary = await endpointSummary(
      reads,
      runId,
      protocol.arms.map((a) => a.name)
    );
    for (const s of summary) {
      process.stdout.write(
        `  ${s.endpoint.padEnd(24)} ${s.arm.padEnd(16)} n=${s.n} missing=${s.missing} mean=${s.mean?.toPrecision(4) ?? '–'} sd=${s.sd?.toPrecision(4) ?? '–'}\n`
      );
    }
    if (protocol.intercurrent) {
      process.stdout.write('trial flow (replicate 0):\n');
      for (const f of await trialFlow(reads, runId)) {
        const reasons = Object.entries(f.discontinuedBy).map(([r, n]) => `${r} ${n}`);
        process.stdout.write(
          `  ${f.arm.padEnd(16)} randomised=${f.randomised} discontinued=${f.discontinued}` +
            `${reasons.length ? ` (${reasons.join(', ')})` : ''} rescued=${f.rescued} ` +
            `lost=${f.lostToFollowUp} dropout=${f.droppedOut} died=${f.died} completed=${f.completed}\n`
        );
      }
    }
    const truth = await estimandTruth(reads, runId);
    if (truth.length) {
      process.stdout.write(
        `true estimands (every twin under every arm, replicates pooled; effect vs ${protocol.arms[0].name}):\n`
      );
      for (const t of truth) {
        process.stdout.write(
          `  ${t.endpoint.padEnd(24)} ${t.estimand.padEnd(20)} ${t.arm.padEnd(16)} value=${t.value.toPrecision(4)} effect=${t.effect.toPrecision(4)}\n`
        );
      }
    }
    if (options.out) {
      await exportFiles(
        reads,
        RESULT_TABLES.map((table) => ({
          relation: `SELECT * FROM ${table} WHERE run_id = ${runId}`,
          path: join(options.out!, `${table}.parquet`)
        }))
      );
      process.stdout.write(
        `wrote ${RESULT_TABLES.map((t) => `${t}.parquet`).join(', ')} to ${options.out}\n`
      );
    }
  } finally {
    interrupts.dispose();
    pool.terminate();
    await db.close();
  }
}

/**
 * One shard of the run: its part of the twins, written as Parquet with a manifest into the
 * --out folder the shards share; `twinbench merge` makes the run of them.
 */
async function runProtocolShard(protocol: ResolvedProtocol, options: RunOptions): Promise<void> {
  const shard = parseShard(options.shard!, process.env);
  const outDir = shardOutDir(options);
  const interrupts = listenForInterrupts();
  const pool = nodeWorkerPool(options.workers);
  try {
    const progress = trialProgress();
    const m = await runShard({
      pool,
      protocol,
      ...overrides(options),
      ...progress,
      shard,
      outDir,
      signal: interrupts.signal
    });
    progress.finish();
    const rows = Object.values(m.tables).reduce((a, t) => a + t.rows, 0);
    process.stdout.write(
      `shard ${shard.index}/${shard.count}: twins ${m.range.first}-${m.range.first + m.range.count - 1} of ${m.total}, ` +
        `${rows} rows in ${m.timings.simulateSeconds.toFixed(2)} s (+${m.timings.writeSeconds.toFixed(2)} s writing) ` +
        `to ${outDir}; merge with: twinbench merge ${outDir} --db <file>\n`
    );
  } finally {
    interrupts.dispose();
    pool.terminate();
  }
}
