import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { inferColumns } from '../../lib/analysis/infer-columns';
import { formatTable1, table1 } from '../../lib/analysis/table1';
import { NodeConnector } from '../../lib/db/node-connector';
import { fileRelation, TwinFileError } from '../../lib/io/twin-file';
import { action, UsageError } from '../errors';

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('print Table 1 of any twin table (CSV or Parquet)')
    .argument('<file>', 'a .csv or .parquet file, one row per twin')
    .option('--by <column>', 'split by a categorical column')
    .action(
      action(async (file: string, options: { by?: string }) => {
        if (!existsSync(file)) throw new TwinFileError(`${file}: no such file`);
        const db = await NodeConnector.open();
        try {
          const relation = fileRelation(file);
          let columns;
          try {
            columns = await inferColumns(db, relation);
          } catch (e) {
            throw new TwinFileError(`${file}: cannot be read: ${(e as Error).message.split('\n')[0]}`);
          }
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
          await db.close();
        }
      })
    );
}
