import { Option, type Command } from 'commander';
import Papa from 'papaparse';
import {
  ALLOWED_STATEMENTS,
  checkReadOnly,
  DEFAULT_PAGE_ROWS,
  readOnlyRelation,
  runReadOnlyQuery,
  type QueryPage,
  type ResultValue
} from '../../lib/analysis/sql-console';
import { NodeConnector } from '../../lib/db/node-connector';
import { formatOf } from '../../lib/io/twin-file';
import { exportFiles } from '../../lib/node/export-files';
import { action, nonNegativeInt, positiveInt, UsageError } from '../errors';

const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface SqlCliOptions {
  db: string;
  format: Format;
  out?: string;
  limit: number;
  offset: number;
}

/** Widest column printed in a table; longer values are cut with an ellipsis. */
const MAX_WIDTH = 40;

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description(`run one read-only SQL query on a database: ${ALLOWED_STATEMENTS}`)
    .argument('<query>', 'the query, in quotes')
    .requiredOption('--db <file>', 'the DuckDB database (opened read-only: nothing is written to it)')
    .addOption(new Option('--format <format>', 'how rows are printed').choices(FORMATS).default('table'))
    .option('--out <file>', 'write the whole result to a .csv or .parquet file instead of printing rows')
    .option('--limit <n>', 'rows to print', positiveInt('--limit'), DEFAULT_PAGE_ROWS)
    .option('--offset <n>', 'rows to skip before printing', nonNegativeInt('--offset'), 0)
    .action(
      action(async (query: string, options: SqlCliOptions) => {
        // Refused before the database is opened, whatever it holds.
        const statement = checkReadOnly(query);
        if (options.out) {
          formatOf(options.out);
          if (readOnlyRelation(statement) === null)
            throw new UsageError(
              `--out: ${statement.kind} output cannot be written to a file; print it instead`
            );
        }
        const db = await NodeConnector.open(options.db, { readOnly: true });
        try {
          const page = await runReadOnlyQuery(db, query, options);
          if (options.out) {
            // The page above ran the same relation as one prepared query in a read-only
            // session, so this COPY is one statement reading what it read.
            await exportFiles(db, [{ relation: readOnlyRelation(statement)!, path: options.out }]);
            process.stderr.write(`${options.out}: ${count(page.total)} written\n`);
            return;
          }
          process.stdout.write(formatPage(page, options.format));
          const shown = page.rows.length;
          if (options.format === 'table' && shown < page.total) {
            const first = Math.min(page.offset + 1, page.total);
            process.stderr.write(
              `rows ${first}–${page.offset + shown} of ${page.total} (--offset and --limit for others, --out for all)\n`
            );
          }
        } finally {
          await db.close();
        }
      })
    );
}

function count(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

function formatPage(page: QueryPage, format: Format): string {
  const names = page.columns.map((c) => c.name);
  if (format === 'json') {
    const rows = page.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, finite(row[i])])));
    return (
      JSON.stringify({ columns: page.columns, total: page.total, offset: page.offset, rows }, null, 2) + '\n'
    );
  }
  if (format === 'csv') return Papa.unparse({ fields: names, data: page.rows }, { newline: '\n' }) + '\n';
  // A plan is read as DuckDB draws it.
  if (page.statement.kind === 'EXPLAIN') return page.rows.map((r) => `${r[r.length - 1]}\n`).join('');
  return textTable(page);
}

/** JSON has no NaN or Infinity: those are written as text. */
function finite(v: ResultValue): ResultValue {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

/** Columns aligned, numbers to the right, a line under the header (as DuckDB's own shell). */
function textTable(page: QueryPage): string {
  const cell = (v: ResultValue) => {
    const s = v === null ? 'NULL' : String(v).replace(/\s+/g, ' ');
    return s.length > MAX_WIDTH ? `${s.slice(0, MAX_WIDTH - 1)}…` : s;
  };
  const cells = page.rows.map((row) => row.map(cell));
  const widths = page.columns.map((c, i) =>
    Math.max(Math.min(c.name.length, MAX_WIDTH), ...cells.map((r) => r[i].length))
  );
  const numeric = page.columns.map((_, i) =>
    page.rows.every((r) => r[i] === null || typeof r[i] === 'number')
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd() + '\n';
  const header = line(page.columns.map((c) => cell(c.name)));
  const rule = line(widths.map((w) => '-'.repeat(w)));
  return header + rule + cells.map(line).join('');
}
