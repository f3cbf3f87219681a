import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  analyze,
  analyzeFile,
  CompareInputError,
  ENDPOINT_TYPES,
  PRIMARY_CANDIDATES,
  type AdjustMethod,
  type ComparisonMethod,
  type EndpointType
} from '../../lib/analysis/compare';
import { formatComparison } from '../../lib/analysis/compare-format';
import { REPEATED_METHODS, type RepeatedMethod } from '../../lib/analysis/repeated-analysis';
import { repeatedMethods, wholeNumber } from '../options';
import { analyzeRepeatedFile } from '../../lib/analysis/repeated-file';
import { formatRepeated } from '../../lib/analysis/repeated-format';
import { NodeConnector } from '../../lib/db/node-connector';
import { StatsInputError, type TargetWindow } from '../../lib/stats';
import { checkDataFile } from '../data-file';
import { abortableReads } from '../abortable-db';
import { action, positiveInt, UsageError } from '../errors';
import { listenForInterrupts } from '../interrupt';

interface AnalyzeCliOptions {
  arm?: string;
  control: string;
  endpoint: string;
  type: EndpointType | 'repeated';
  id?: string;
  visit?: string;
  at?: string;
  imputations: number;
  seed: number;
  analyses?: RepeatedMethod[];
  baseline?: string;
  time?: string;
  event?: string;
  run?: string;
  replicate?: number;
  primary?: ComparisonMethod;
  adjust: AdjustMethod;
  confLevel: number;
  format: 'table' | 'json';
  exposure?: boolean;
  target?: TargetWindow;
  baselineVisit: boolean;
}

function confLevel(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x < 1))
    throw new InvalidArgumentError('--conf-level must be a number between 0 and 1, e.g. 0.95');
  return x;
}

/** --target low:high, either end may be left open (400:, :600). */
function targetWindow(value: string): TargetWindow {
  const m = /^\s*([^:]*):([^:]*)$/.exec(value);
  const bound = (text: string, open: number) => (text.trim() === '' ? open : Number(text));
  const low = m ? bound(m[1], -Infinity) : NaN;
  const high = m ? bound(m[2], Infinity) : NaN;
  if (
    !m ||
    Number.isNaN(low) ||
    Number.isNaN(high) ||
    !(low <= high) ||
    (m[1].trim() === '' && m[2].trim() === '')
  ) {
    throw new InvalidArgumentError(
      `--target must be low:high with numbers low ≤ high, either end open (e.g. 400:600, 400: or :600); got '${value}'`
    );
  }
  return { low, high };
}

export function registerAnalyze(program: Command): void {
  const primaries = [...new Set(Object.values(PRIMARY_CANDIDATES).flat())];
  program
    .command('analyze')
    .description('compare each arm with the control for one endpoint (a run database or a data file)')
    .argument('<input>', 'a run database (.duckdb) or a data file (.csv, .parquet), one row per subject')
    .option('--arm <column>', 'data file: the arm column (a .duckdb run uses its arm column)')
    .requiredOption('--control <level>', 'the control arm')
    .requiredOption(
      '--endpoint <name>',
      'data file: the endpoint column (tte: only its name); run: the endpoint name'
    )
    .addOption(
      new Option('--type <type>', 'endpoint type (repeated: long format, one row per subject and visit)')
        .choices([...ENDPOINT_TYPES, 'repeated'])
        .makeOptionMandatory()
    )
    .option('--id <column>', 'repeated: the subject column')
    .option('--visit <column>', 'repeated: the visit column (numbers in order, or labels in natural order)')
    .option('--at <visit>', 'repeated: the visit analysed (default: the last visit)')
    .option(
      '--imputations <m>',
      'repeated: imputations of multiple imputation',
      wholeNumber('--imputations', 2, 1000),
      20
    )
    .option('--seed <s>', 'repeated: seed of the imputations', wholeNumber('--seed', 0, 2 ** 53 - 1), 1)
    .option(
      '--analyses <list>',
      `repeated: the analyses to run (default all: ${REPEATED_METHODS.join(', ')})`,
      repeatedMethods
    )
    .option('--baseline <column>', 'continuous: baseline column (run: baseline endpoint) for ANCOVA')
    .option('--time <column>', 'tte: follow-up time column')
    .option('--event <column>', 'tte: event column (1 = event, 0 = censored)')
    .option('--run <id>', 'run database: the run (default: the latest complete run)')
    .option(
      '--replicate <k>',
      'run database: the replicate (default: the only one)',
      positiveInt('--replicate')
    )
    .addOption(new Option('--primary <method>', 'primary method (default by type)').choices(primaries))
    .addOption(
      new Option('--adjust <method>', 'multiplicity adjustment of the primary p-values')
        .choices(['holm', 'bonferroni', 'hochberg'])
        .default('holm')
    )
    .option('--conf-level <level>', 'confidence level', confLevel, 0.95)
    .option(
      '--exposure',
      'continuous: an exposure metric (AUC, Cmax, …): adds the geometric mean ratio (90% CI)'
    )
    .option(
      '--target <low:high>',
      'continuous: probability of target attainment by arm, values in [low, high] (an end may be open: 400:)',
      targetWindow
    )
    .option(
      '--no-baseline-visit',
      "run database: no ANCOVA on the endpoint variable's first visit (by default when the protocol has one)"
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(
      action(async (input: string, o: AnalyzeCliOptions) => {
        checkDataFile(input);
        const isRun = /\.(duckdb|db)$/i.test(input);
        if (o.type === 'repeated') return analyzeRepeated(input, isRun, o);
        for (const [given, option] of [
          [o.id, '--id'],
          [o.visit, '--visit'],
          [o.at, '--at'],
          [o.analyses, '--analyses']
        ] as const) {
          if (given !== undefined) throw new UsageError(`${option} applies to --type repeated only`);
        }
        if (o.type === 'tte' && (!o.time || !o.event) && !isRun) {
          throw new UsageError(
            `--type tte needs --time <column> and --event <column> (1 = event, 0 = censored)` +
              `${o.time ? '; --event is missing' : o.event ? '; --time is missing' : ''}`
          );
        }
        if (o.baseline && o.type !== 'continuous')
          throw new UsageError('--baseline applies to --type continuous only');
        for (const [given, option] of [
          [o.exposure, '--exposure'],
          [o.target, '--target']
        ] as const) {
          if (given && o.type !== 'continuous')
            throw new UsageError(`${option} applies to --type continuous only`);
        }
        const type = o.type as EndpointType;
        const common = {
          control: o.control,
          primary: o.primary,
          adjust: o.adjust,
          confLevel: o.confLevel,
          exposure: o.exposure,
          target: o.target
        };
        // A reader: a run database is opened as it is (refused if it is not a DuckDB file),
        // without the recovery that commands writing to it run (cli/database.ts).
        const opened = await NodeConnector.open(isRun ? input : ':memory:');
        const interrupts = listenForInterrupts();
        interrupts.onInterrupt(() => opened.interrupt());
        const db = abortableReads(opened, interrupts.signal);
        try {
          let result;
          try {
            if (isRun) {
              if (o.arm && o.arm !== 'arm')
                throw new UsageError(`--arm: a run database's arm column is 'arm'`);
              result = await analyze(
                { db, path: input, runId: o.run, replicate: o.replicate },
                { name: o.endpoint, type, baseline: o.baseline, baselineVisit: o.baselineVisit },
                common
              );
            } else {
              if (!o.arm) throw new UsageError('--arm <column> is required for a data file');
              if (o.run || o.replicate)
                throw new UsageError('--run and --replicate apply to a .duckdb run database');
              result = await analyzeFile(
                db,
                input,
                type,
                { arm: o.arm, endpoint: o.endpoint, baseline: o.baseline, time: o.time, event: o.event },
                common
              );
            }
          } catch (e) {
            if (e instanceof CompareInputError || e instanceof StatsInputError)
              throw new UsageError(e.message);
            throw e;
          }
          process.stdout.write(
            o.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatComparison(result) + '\n'
          );
        } finally {
          interrupts.dispose();
          await db.close();
        }
      })
    );
}

/** `--type repeated`: every repeated-measures analysis of a long-format data file. */
async function analyzeRepeated(input: string, isRun: boolean, o: AnalyzeCliOptions): Promise<void> {
  if (isRun) throw new UsageError('--type repeated reads a data file (.csv, .parquet) in long format');
  const missing = (
    [
      ['--arm', o.arm],
      ['--id', o.id],
      ['--visit', o.visit]
    ] as const
  ).filter(([, v]) => !v);
  if (missing.length)
    throw new UsageError(
      `--type repeated needs ${missing.map(([n]) => `${n} <column>`).join(', ')} (one row per subject and visit)`
    );
  for (const [given, option] of [
    [o.time, '--time'],
    [o.event, '--event'],
    [o.run, '--run'],
    [o.replicate, '--replicate'],
    [o.primary, '--primary'],
    [o.exposure, '--exposure'],
    [o.target, '--target']
  ] as const) {
    if (given !== undefined) throw new UsageError(`${option} does not apply to --type repeated`);
  }
  const db = await NodeConnector.open(':memory:');
  try {
    let result;
    try {
      result = await analyzeRepeatedFile(
        db,
        input,
        { arm: o.arm!, endpoint: o.endpoint, id: o.id!, visit: o.visit!, baseline: o.baseline },
        {
          control: o.control,
          at: o.at,
          methods: o.analyses,
          confLevel: o.confLevel,
          imputations: o.imputations,
          seed: o.seed
        }
      );
    } catch (e) {
      if (e instanceof CompareInputError || e instanceof StatsInputError) throw new UsageError(e.message);
      throw e;
    }
    process.stdout.write(
      o.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatRepeated(result) + '\n'
    );
  } finally {
    await db.close();
  }
}
