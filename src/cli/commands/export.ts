import type { Command } from 'commander';
import { nonmemDataset } from '../../lib/analysis/nonmem-dataset';
import { RunDosesError } from '../../lib/analysis/run-doses';
import { RunNotFoundError } from '../../lib/analysis/run-plan';
import { sqlString } from '../../lib/db/connector';
import { NodeConnector } from '../../lib/db/node-connector';
import { formatOf } from '../../lib/io/twin-file';
import { exportFiles } from '../../lib/node/export-files';
import { action, nonNegativeInt, UsageError } from '../errors';

interface ExportCliOptions {
  run: number;
  nonmem: string;
  replicate: number;
}

/** `out.csv` → `out.cmt.csv`: the table naming the dataset's CMT numbers, beside it. */
export function compartmentsPath(path: string): string {
  return path.replace(/(\.[^./\\]+)?$/, '.cmt.csv');
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export a run as a NONMEM/Monolix/nlmixr dataset (ID, TIME, AMT, DV, EVID, MDV, CMT, …, ARM, covariates)'
    )
    .argument('<db>', 'the DuckDB database holding the run (opened read-only)')
    .requiredOption('--run <id>', 'the run to export', nonNegativeInt('--run'))
    .requiredOption(
      '--nonmem <file>',
      'the dataset, a .csv or .parquet file; its CMT numbers are named in <file>.cmt.csv'
    )
    .option('--replicate <n>', 'the replicate exported', nonNegativeInt('--replicate'), 0)
    .action(
      action(async (file: string, options: ExportCliOptions) => {
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
            { relation: dataset.relation, path: options.nonmem },
            {
              relation: `SELECT * FROM (VALUES ${values.join(', ')}) AS t("CMT", "EVID", kind, name)`,
              path: compartmentsPath(options.nonmem)
            }
          ]);
          process.stderr.write(
            `${options.nonmem}: run ${options.run}, replicate ${options.replicate} written (CMT names in ${compartmentsPath(options.nonmem)})\n`
          );
        } finally {
          await db.close();
        }
      })
    );
}
