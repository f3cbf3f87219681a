import { InvalidArgumentError, type Command } from 'commander';
import { nodeWorkerPool } from '../../lib/runner/node-workers';
import { DEFAULT_TRUTH_TWINS, runPower, type PowerResult } from '../../lib/runner/power';
import { openDatabase } from '../database';
import { action, UsageError } from '../errors';
import { listenForInterrupts } from '../interrupt';
import { repeatedMethods, replicatesOption, wholeNumber, workersOption } from '../options';
import type { RepeatedMethod } from '../../lib/analysis/repeated-analysis';
import { formatOperating } from '../../lib/analysis/operating-format';
import { MAX_TWINS } from '../../lib/spec/limits';
import { progressReporter } from '../progress';
import { readProtocolFile } from '../protocol-file';
import { runPowerShard } from '../../lib/node/shard/power-shard';
import { parseShard } from '../../lib/node/shard/shard-range';
import { shardOption, shardOutDir } from '../shard-option';
import type { ResolvedProtocol } from '../../lib/engine/trial';

interface PowerCliOptions {
  n: number[];
  replicates: number;
  alpha: number;
  delta?: number;
  precision?: number;
  targetPower?: number;
  workers: number;
  db?: string;
  format: string;
  analyses?: RepeatedMethod[];
  imputations: number;
  truthTwins: number;
  null?: boolean;
  shard?: string;
  out?: string;
}

/** `--truth-twins`: a whole number ≥ 1, or all. */
const truthTwins = (value: string): number => {
  if (value.trim() === 'all') return Infinity;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`--truth-twins takes a whole number ≥ 1 or all, got '${value}'`);
  return n;
};

const sizes = (value: string): number[] => {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((n) => !Number.isSafeInteger(n) || n < 2 || n > MAX_TWINS)) {
    throw new InvalidArgumentError(
      `--n takes whole numbers ≥ 2, at most ${MAX_TWINS.toLocaleString('en-US')}, separated by commas, e.g. 50,100,200`
    );
  }
  return list;
};
const fraction = (name: string) => (value: string) => {
  const x = Number(value);
  if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`${name} must be between 0 and 1`);
  return x;
};
const number = (name: string) => (value: string) => {
  const x = Number(value);
  if (!Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a number`);
  return x;
};

export function registerPower(program: Command): void {
  program
    .command('power')
    .description('power and probability of success by replicate virtual trials')
    .argument('<protocol.yaml>', 'trial protocol; its primary endpoint is analysed')
    .requiredOption('--n <sizes>', 'total sample sizes (all arms), e.g. 50,100,200,400', sizes)
    .addOption(replicatesOption('replicate trials per sample size').default(1000))
    .option('--alpha <a>', 'two-sided significance level', fraction('--alpha'), 0.05)
    .option(
      '--delta <d>',
      'success also needs an effect at least this large (sign = direction)',
      number('--delta')
    )
    .option(
      '--precision <h>',
      'stop a size once the power CI half-width is below this',
      fraction('--precision')
    )
    .option('--target-power <p>', 'search the smallest n with this power', fraction('--target-power'))
    .option(
      '--analyses <list>',
      'repeated-measures analyses of each replicate for operating characteristics (default when the primary endpoint declares estimands: mmrm,mi_mar,mi_j2r,locf,completers)',
      repeatedMethods
    )
    .option(
      '--imputations <m>',
      'imputations of the multiple-imputation analyses',
      wholeNumber('--imputations', 2, 1000),
      20
    )
    .option(
      '--truth-twins <n>',
      "twins of each replicate simulated under every arm for the estimands' true values, or all",
      truthTwins,
      DEFAULT_TRUTH_TWINS
    )
    .option('--null', "null scenario: every arm gets the control's treatment (type I error)")
    .addOption(workersOption())
    .option('--db <file>', 'store replicate-level results in this DuckDB file')
    .option('--format <format>', 'table or json', 'table')
    .addOption(shardOption('replicates, at every size'))
    .option('--out <dir>', 'with --shard: the folder every shard writes into')
    .action(action(runPowerCommand));
}

/** The study's settings from the options, whole or sharded alike. */
function studySettings(options: PowerCliOptions) {
  return {
    sizes: options.n,
    replicates: options.replicates,
    alpha: options.alpha,
    delta: options.delta,
    analyses: options.analyses,
    imputations: options.imputations,
    truthTwins: options.truthTwins,
    nullScenario: options.null === true
  };
}

async function runPowerCommand(file: string, options: PowerCliOptions): Promise<void> {
  if (options.format !== 'table' && options.format !== 'json')
    throw new InvalidArgumentError('--format must be table or json');
  const protocol = await readProtocolFile(file);
  if (options.shard !== undefined) return runPowerCommandShard(protocol, options);
  const db = options.db ? await openDatabase(options.db) : undefined;
  const interrupts = listenForInterrupts();
  interrupts.onInterrupt(() => db?.interrupt());
  const pool = nodeWorkerPool(options.workers);
  try {
    const progress = progressReporter('replicates');
    const total = options.n.length * options.replicates;
    let finished = 0;
    let lastN = -1;
    const result = await runPower({
      db,
      pool,
      protocol,
      ...studySettings(options),
      precision: options.precision,
      targetPower: options.targetPower,
      signal: interrupts.signal,
      onProgress: (u) => {
        if (u.n !== lastN) {
          if (lastN >= 0) finished += options.replicates;
          lastN = u.n;
        }
        progress.update(Math.min(total, finished + u.done), total);
      }
    });
    progress.finish();
    process.stdout.write(
      options.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatPower(result, options)
    );
  } finally {
    interrupts.dispose();
    pool.terminate();
    await db?.close();
  }
}

function formatPower(r: PowerResult, o: PowerCliOptions): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    ...(r.nullScenario
      ? ["null scenario: every arm has the control's treatment; power is the type I error"]
      : []),
    `primary analysis: ${r.method}, each arm vs ${r.control}, Holm-adjusted, alpha ${o.alpha}` +
      (o.delta !== undefined
        ? `; success: significant and effect ${o.delta < 0 ? '≤' : '≥'} ${o.delta}`
        : ''),
    ['n', 'replicates', 'arm', 'power', '95% CI', 'P(success)', 'mean estimate'].join('\t')
  ];
  for (const s of r.sizes) {
    for (const a of s.arms) {
      lines.push(
        [
          s.n,
          s.replicates,
          a.arm,
          pct(a.power),
          `${pct(a.ciLow)}–${pct(a.ciHigh)}`,
          pct(a.probabilityOfSuccess),
          a.meanEstimate.toPrecision(4)
        ].join('\t')
      );
    }
  }
  if (r.sampleSize) {
    lines.push(
      r.sampleSize.n === null
        ? `no sample size up to ${Math.max(...r.sizes.map((s) => s.n))} reaches ${pct(r.sampleSize.target)} power`
        : `smallest n with ${pct(r.sampleSize.target)} power (${r.sampleSize.arm}): ${r.sampleSize.n}`
    );
  }
  if (r.analyses)
    lines.push(
      '',
      formatOperating(
        r.sizes.flatMap((s) => s.operating ?? []),
        {
          alpha: o.alpha,
          imputations: r.analyses.imputations,
          truthTwins: r.analyses.truthTwins,
          nullScenario: r.nullScenario
        }
      )
    );
  lines.push(
    `${r.seconds.toFixed(2)} s${r.powerId !== undefined ? `; replicate results in power_replicate (power_id ${r.powerId})` : ''}`
  );
  return lines.join('\n') + '\n';
}

/**
 * One shard of the power study: its part of the replicates at every size, written as
 * Parquet with a manifest into the --out folder; `twinbench merge` makes the study of them.
 */
async function runPowerCommandShard(protocol: ResolvedProtocol, options: PowerCliOptions): Promise<void> {
  const shard = parseShard(options.shard!, process.env);
  const outDir = shardOutDir(options);
  for (const [flag, value] of [
    ['--precision', options.precision],
    ['--target-power', options.targetPower],
    ['--db', options.db]
  ] as const)
    if (value !== undefined)
      throw new UsageError(
        `${flag} cannot be used with --shard: ${flag === '--db' ? 'a shard writes to --out; merge the shards into a database' : 'it decides on every replicate at once'}`
      );
  const interrupts = listenForInterrupts();
  const pool = nodeWorkerPool(options.workers);
  try {
    const progress = progressReporter('replicates');
    const m = await runPowerShard({
      pool,
      protocol,
      ...studySettings(options),
      shard,
      outDir,
      signal: interrupts.signal,
      onProgress: (u) => progress.update(u.done, u.total)
    });
    progress.finish();
    process.stdout.write(
      `shard ${shard.index}/${shard.count}: replicates ${m.range.first}-${m.range.first + m.range.count - 1} of ${m.total} ` +
        `at n = ${options.n.join(', ')} in ${m.timings.simulateSeconds.toFixed(2)} s to ${outDir}; ` +
        `merge with: twinbench merge ${outDir} --db <file>\n`
    );
  } finally {
    interrupts.dispose();
    pool.terminate();
  }
}
