import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { table1, formatTable1 } from '../../lib/analysis/table1';
import { getCohort, twinsSql } from '../../lib/db/cohort-store';
import { NodeConnector } from '../../lib/db/node-connector';
import { formatOf, readImportedTable } from '../../lib/io/twin-file';
import { exportFiles } from '../../lib/node/export-files';
import { generateCohort } from '../../lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../lib/runner/node-workers';
import { loadCohortSpec } from '../../lib/load/load-cohort';
import { abortableReads } from '../abortable-db';
import { checkDataFile } from '../data-file';
import { openDatabase } from '../database';
import { action } from '../errors';
import { listenForInterrupts } from '../interrupt';
import { chunkSizeOption, nOption, seedOption, workersOption } from '../options';
import { progressReporter } from '../progress';
import { readSpecFile } from '../read-spec-file';

interface CohortOptions {
  n?: number;
  seed?: number;
  out?: string;
  workers: number;
  chunkSize?: number;
  db?: string;
  by?: string;
}

export function registerCohort(program: Command): void {
  program
    .command('cohort')
    .description('generate a virtual patient cohort from a cohort spec; Table 1 on stdout')
    .argument('<spec.yaml>', 'cohort spec file (see cohorts/)')
    .addOption(nOption('spec'))
    .addOption(seedOption('spec'))
    .option('--out <file>', 'write the twins to a .csv or .parquet file')
    .addOption(workersOption())
    .addOption(chunkSizeOption())
    .option('--db <file>', 'keep the cohort in this DuckDB file (default: in memory)')
    .option('--by <covariate>', 'split Table 1 by a categorical covariate')
    .action(action(runCohort));
}

async function runCohort(specFile: string, options: CohortOptions): Promise<void> {
  if (options.out) formatOf(options.out); // fail on a bad extension before generating
  const text = readSpecFile(specFile);
  // A spec that is wrong in itself is refused before a database file is created or opened.
  let spec = loadCohortSpec(text, specFile);
  const db = options.db ? await openDatabase(options.db) : await NodeConnector.open();
  const interrupts = listenForInterrupts();
  interrupts.onInterrupt(() => db.interrupt());
  const pool = nodeWorkerPool(options.workers);
  try {
    let imported;
    if (spec.import) {
      const path = resolve(dirname(specFile), spec.import.file);
      checkDataFile(path);
      imported = await readImportedTable(db, path, spec.import.categorical);
      spec = loadCohortSpec(text, specFile, imported);
    }
    const progress = progressReporter('twins');
    const { cohortId } = await generateCohort({
      db,
      pool,
      spec,
      imported,
      n: options.n,
      seed: options.seed,
      chunkSize: options.chunkSize,
      onProgress: progress.update,
      signal: interrupts.signal
    });
    progress.finish();
    const cohort = await getCohort(db, cohortId);
    // The cohort is complete and stays so; a signal from here on stops only the reading.
    const reads = abortableReads(db, interrupts.signal);
    if (options.out) {
      await exportFiles(reads, [{ relation: twinsSql(cohort), path: options.out }]);
      process.stderr.write(`wrote ${cohort.nEnrolled} twins to ${options.out}\n`);
    }
    const s = cohort.screening!;
    process.stdout.write(
      `${cohort.name}: ${s.enrolled} twins enrolled of ${s.screened} screened (seed ${cohort.seed})\n`
    );
    for (const c of s.criteria) {
      process.stdout.write(`  failed '${c.label}': ${c.failedAny} (first failed: ${c.failedFirst})\n`);
    }
    process.stdout.write(
      '\n' + formatTable1(await table1(reads, twinsSql(cohort), cohort.columns, { by: options.by })) + '\n'
    );
  } finally {
    interrupts.dispose();
    pool.terminate();
    await db.close();
  }
}
