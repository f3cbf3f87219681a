import type { Command } from 'commander';
import { inferColumns } from '../../lib/analysis/infer-columns';
import { formatTable1, table1 } from '../../lib/analysis/table1';
import { NodeConnector } from '../../lib/db/node-connector';
import { openFileTable } from '../../lib/io/file-table';
import { checkDataFile } from '../data-file';
import { abortableReads } from '../abortable-db';
import { action, UsageError } from '../errors';
import { listenForInterrupts } from '../interrupt';

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('print Table 1 of any twin table (CSV or Parquet)')
    .argument('<file>', 'a .csv or .parquet file, one row per twin')
    .option('--by <column>', 'split by a categorical column')
    .action(
      action(async (file: string, options: { by?: string }) => {
        checkDataFile(file);
        const memory = await NodeConnector.open();
        const interrupts = listenForInterrupts();
        interrupts.onInterrupt(() => memory.interrupt());
        // An in-memory database: nothing to clean up, so every statement can be stopped.
        const db = abortableReads(memory, interrupts.signal);
        try {
          const table = await openFileTable(db, file);
          for (const note of table.notes) process.stderr.write(`note: ${file}: ${note}\n`);
          const relation = table.relation;
          const columns = await inferColumns(db, relation);
          if (options.by && !columns.some((c) => c.name === options.by && c.kind !== 'continuous')) {
            throw new UsageError(
              `--by: '${options.by}' is not a categorical column of ${file} ` +
                `(categorical: ${
                  columns
                    .filter((c) => c.kind !== 'continuous')
                    .map((c) => c.name)
                    .join(', ') || 'none'
                })`
            );
          }
          process.stdout.write(formatTable1(await table1(db, relation, columns, { by: options.by })) + '\n');
        } finally {
          interrupts.dispose();
          await db.close();
        }
      })
    );
}
