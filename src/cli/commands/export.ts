import type { Command } from 'commander';
import { nonmemDataset } from '../../lib/analysis/nonmem-dataset';
import { RunDosesError } from '../../lib/analysis/run-doses';
import { RunNotFoundError } from '../../lib/analysis/run-plan';
import { sqlString } from '../../lib/db/connector';
import { NodeConnector } from '../../lib/db/node-connector';
import { formatOf, TwinFileError } from '../../lib/io/twin-file';
import { exportWorkspace, WORKSPACE_EXTENSION } from '../../lib/db/workspace-file';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { exportFiles } from '../../lib/node/export-files';
import { action, nonNegativeInt, UsageError } from '../errors';

interface ExportCliOptions {
  run?: number;
  nonmem?: string;
  replicate: number;
  workspace?: string;
}

/** `out.csv` → `out.cmt.csv`: the table naming the dataset's CMT numbers, beside it. */
export function compartmentsPath(path: string): string {
  return path.replace(/(\.[^./\\]+)?$/, '.cmt.csv');
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export a run as a NONMEM/Monolix/nlmixr dataset (ID, TIME, AMT, DV, EVID, MDV, CMT, …, ARM, covariates), ' +
        "or a whole database as a workspace file for the browser's Open workspace"
    )
    .argument('<db>', 'the DuckDB database holding the run (opened read-only)')
    .option('--run <id>', 'the run to export (with --nonmem)', nonNegativeInt('--run'))
    .option(
      '--nonmem <file>',
      'the dataset, a .csv or .parquet file; its CMT numbers are named in <file>.cmt.csv'
    )
    .option('--replicate <n>', 'the replicate exported', nonNegativeInt('--replicate'), 0)
    .option(
      '--workspace <file>',
      `every cohort, run and study of the database as one workspace file (${WORKSPACE_EXTENSION}), which the workbench opens (Home: Open a workspace), a merge of shards included`
    )
    .action(
      action(async (file: string, options: ExportCliOptions) => {
        if (options.workspace !== undefined) return writeWorkspace(file, options.workspace);
        if (options.run === undefined || options.nonmem === undefined)
          throw new UsageError('export needs --run <id> and --nonmem <file>, or --workspace <file>');
        formatOf(options.nonmem);
        const db = await NodeConnector.open(file, { readOnly: true });
        try {
          const dataset = await nonmemDataset(db, options.run, { replicate: options.replicate }).catch(
            (e) => {
              if (e instanceof RunDosesError || e instanceof RunNotFoundError)
                throw new UsageError(e.message);
              throw e;
            }
          );
          const values = dataset.compartments.map(
            (c) => `(${c.cmt}, ${c.kind === 'dose' ? 1 : 0}, ${sqlString(c.kind)}, ${sqlString(c.name)})`
          );
          await exportFiles(db, [
            { relation: dataset.relation, path: options.nonmem! },
            {
              relation: `SELECT * FROM (VALUES ${values.join(', ')}) AS t("CMT", "EVID", kind, name)`,
              path: compartmentsPath(options.nonmem!)
            }
          ]);
          process.stderr.write(
            `${options.nonmem}: run ${options.run}, replicate ${options.replicate} written (CMT names in ${compartmentsPath(options.nonmem!)})\n`
          );
        } finally {
          await db.close();
        }
      })
    );
}

/** The database as a workspace file, written under a temporary name and renamed when whole. */
async function writeWorkspace(file: string, path: string): Promise<void> {
  const db = await NodeConnector.open(file, { readOnly: true });
  try {
    const bytes = await exportWorkspace(db);
    const partial = `${path}.${process.pid}.partial`;
    try {
      writeFileSync(partial, bytes);
      renameSync(partial, path);
    } catch (e) {
      rmSync(partial, { force: true });
      throw new TwinFileError(`${path}: cannot be written: ${(e as Error).message.split('\n')[0]}`);
    }
    process.stderr.write(
      `${path}: the workspace of ${file} written (${bytes.length.toLocaleString('en-US')} bytes)\n`
    );
  } finally {
    await db.close();
  }
}
