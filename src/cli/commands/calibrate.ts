import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import {
  calibrationSummary,
  fitsTableSql,
  readCalibration,
  type CalibrationSummary
} from '../../lib/analysis/calibration-table';
import type { Connector } from '../../lib/db/connector';
import { NodeConnector } from '../../lib/db/node-connector';
import { calibrationModel } from '../../lib/engine/calibration/calibration-model';
import { parseModelSpec } from '../../lib/engine/models/spec';
import { formatOf } from '../../lib/io/file-format';
import { readPatientData } from '../../lib/io/patient-data';
import { exportFiles } from '../../lib/node/export-files';
import { runCalibration } from '../../lib/runner/calibrate';
import { nodeWorkerPool } from '../../lib/runner/node-workers';
import { abortableReads } from '../abortable-db';
import { checkDataFile } from '../data-file';
import { openDatabase } from '../database';
import { action, nonNegativeInt } from '../errors';
import { listenForInterrupts } from '../interrupt';
import { wholeNumber, workersOption } from '../options';
import { MAX_CHUNK_SIZE } from '../../lib/spec/limits';
import { progressReporter } from '../progress';
import { readModelSpec } from '../model-spec-file';

interface CalibrateCliOptions {
  model: string;
  out?: string;
  db?: string;
  workers: number;
  chunkSize?: number;
  sir?: boolean;
  seed?: number;
  name?: string;
  format: 'table' | 'json';
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      "fit every patient of a data file to a model (MAP): each one's etas, their uncertainty and diagnostics"
    )
    .argument('<data>', 'NONMEM-style patient data (.csv or .parquet; see docs/calibration.md)')
    .requiredOption(
      '--model <file>',
      'a model file (.model, with its variability and residual error) or a protocol (.yaml: its model section)'
    )
    .option('--out <file>', 'also write the fits, one row per patient, to this .parquet or .csv file')
    .option('--db <file>', 'store the calibration in this DuckDB file (default: in memory only)')
    .addOption(workersOption())
    .addOption(
      new Option('--chunk-size <n>', 'patients per chunk (results do not depend on it)').argParser(
        wholeNumber('--chunk-size', 1, MAX_CHUNK_SIZE)
      )
    )
    .option('--sir', "also sample each patient's posterior by SIR (the Laplace approximation's cross-check)")
    .option('--seed <seed>', 'seed of the SIR draws (default 1)', nonNegativeInt('--seed'))
    .option('--name <label>', "the calibration's name (default: the data file's name)")
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(action(calibrate));
}

async function calibrate(data: string, options: CalibrateCliOptions): Promise<void> {
  if (options.out) formatOf(options.out);
  const spec = await readModelSpec(options.model);
  const { model, spec: resolved } = parseModelSpec(spec);
  // A model that cannot be calibrated is refused before the data are read.
  const { covariateNames } = calibrationModel(model, resolved);
  checkDataFile(data);
  const db: Connector = options.db ? await openDatabase(options.db) : await NodeConnector.open();
  const interrupts = listenForInterrupts();
  interrupts.onInterrupt(() => db.interrupt?.());
  const pool = nodeWorkerPool(options.workers);
  try {
    const records = await readPatientData(abortableReads(db, interrupts.signal), data, model, {
      covariates: covariateNames
    });
    const progress = progressReporter('patients');
    const run = await runCalibration({
      db,
      pool,
      name: options.name ?? basename(data),
      modelSpec: resolved,
      records,
      dataFile: data,
      options: { sir: options.sir, seed: options.seed },
      chunkSize: options.chunkSize,
      onProgress: progress.update,
      signal: interrupts.signal
    });
    progress.finish();
    // The calibration is complete and stays so; a signal from here on stops only the reading.
    const reads = abortableReads(db, interrupts.signal);
    const info = await readCalibration(reads, run.calibrationId);
    const summary = await calibrationSummary(reads, info);
    process.stdout.write(
      options.format === 'json'
        ? JSON.stringify(
            jsonSummary(summary, options.db ? run.calibrationId : undefined, info.model, run.seconds),
            null,
            2
          ) + '\n'
        : formatSummary(summary, run.seconds)
    );
    if (options.db) process.stderr.write(`calibration ${run.calibrationId} stored in ${options.db}\n`);
    if (options.out) {
      await exportFiles(reads, [{ relation: fitsTableSql(info), path: options.out }]);
      process.stderr.write(`wrote ${summary.patients.length} fits to ${options.out}\n`);
    }
  } finally {
    interrupts.dispose();
    pool.terminate();
    await db.close();
  }
}

function jsonSummary(
  s: CalibrationSummary,
  calibrationId: number | undefined,
  model: string,
  seconds: number
) {
  const byEta = (values: readonly (number | null)[]) =>
    Object.fromEntries(s.etaNames.map((name, k) => [name, values[k]]));
  return {
    ...(calibrationId === undefined ? {} : { calibrationId }),
    model,
    patients: s.patients.map((p) => ({
      id: p.id,
      ofv: p.ofv,
      converged: p.converged,
      eta: byEta(p.eta),
      sd: byEta(p.sd),
      shrinkage: byEta(p.shrinkage),
      note: p.note
    })),
    populationShrinkage: byEta(s.populationShrinkage.map((x) => (Number.isFinite(x) ? x : null))),
    notConverged: s.notConverged,
    seconds
  };
}

const number = (x: number | null) => (x === null || !Number.isFinite(x) ? '–' : x.toPrecision(4));
const percent = (x: number | null) => (x === null || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(1)}%`);

/** One line per patient (OFV, convergence, each eta with its posterior SD and shrinkage), then the population. */
function formatSummary(s: CalibrationSummary, seconds: number): string {
  const header = [
    'ID',
    'OFV',
    'converged',
    ...s.etaNames.flatMap((e) => [`eta_${e}`, `sd_${e}`, `shrinkage_${e}`])
  ];
  const lines = [header.join('\t')];
  for (const p of s.patients) {
    lines.push(
      [
        p.id,
        p.ofv.toFixed(3),
        p.converged ? 'yes' : 'no',
        ...s.etaNames.flatMap((_, k) => [number(p.eta[k]), number(p.sd[k]), percent(p.shrinkage[k])])
      ].join('\t') + (p.note ? `\t${p.note}` : '')
    );
  }
  lines.push(
    `population shrinkage: ${s.etaNames.map((e, k) => `${e} ${percent(s.populationShrinkage[k])}`).join(', ')}`,
    `${s.patients.length} patients fitted in ${seconds.toFixed(2)} s; ` +
      `${s.notConverged === 0 ? 'every fit converged' : `${s.notConverged} did not converge`}`
  );
  return lines.join('\n') + '\n';
}
