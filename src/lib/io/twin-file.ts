import type { ImportedTable } from '../engine/cohort';
import { rowsOf, sqlIdent, sqlString, type Connector } from '../db/connector';

/**
 * Twin tables in files (CSV or Parquet, one row per twin), read and written through
 * DuckDB so the same SQL serves import, `describe` and export.
 */
export class TwinFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwinFileError';
  }
}

export type TwinFileFormat = 'csv' | 'parquet';

export function formatOf(path: string): TwinFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  throw new TwinFileError(`${path}: unknown file type; use a .csv or .parquet file`);
}

/** A SQL relation reading the file. CSV: header row, comma separated, types detected. */
export function fileRelation(path: string): string {
  return formatOf(path) === 'csv'
    ? `SELECT * FROM read_csv(${sqlString(path)}, header = true, auto_detect = true)`
    : `SELECT * FROM read_parquet(${sqlString(path)})`;
}

/**
 * Reads a file of prepared or real covariates as imported twins. Text columns (and
 * those named in `categorical`) become categorical with sorted levels; numeric columns
 * must be complete. A column that is mostly numbers but holds some text is reported
 * with the first bad line, rather than silently turned into a category.
 */
export async function readImportedTable(
  db: Connector,
  path: string,
  categorical: string[] = []
): Promise<ImportedTable> {
  let described: { column_name: string; column_type: string }[];
  const relation = fileRelation(path);
  try {
    described = rowsOf(await db.query(`DESCRIBE (${relation})`));
  } catch (e) {
    throw new TwinFileError(`${path}: cannot be read: ${firstLine(e)}`);
  }
  const rows = rowsOf<{ n: number }>(await db.query(`SELECT count(*)::DOUBLE AS n FROM (${relation})`))[0].n;
  if (rows === 0) throw new TwinFileError(`${path}: has no rows`);
  const columns: ImportedTable['columns'] = [];
  for (const { column_name: name, column_type: type } of described) {
    if (name.toLowerCase() === 'twin_id') continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TwinFileError(`${path}: column '${name}' is not a usable name (letters, digits and _ only)`);
    }
    const c = sqlIdent(name);
    const numeric = /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/.test(type);
    if (numeric && !categorical.includes(name)) {
      const missing = rowsOf<{ line: number | null }>(
        await db.query(
          `SELECT min(line)::DOUBLE AS line FROM (SELECT row_number() OVER () + 1 AS line, ${c} AS x FROM (${relation})) WHERE x IS NULL`
        )
      )[0].line;
      if (missing !== null) throw new TwinFileError(`${path}: line ${missing}: column '${name}' is empty`);
      const values = rowsOf<{ x: number }>(await db.query(`SELECT ${c}::DOUBLE AS x FROM (${relation})`));
      columns.push({ name, values: Float64Array.from(values, (r) => r.x) });
      continue;
    }
    // Text: categorical, unless most of it is numbers — then it is a number column with a
    // typo, reported by line (a category such as CKD stage 3a belongs in import.categorical).
    const check = rowsOf<{ numbers: number; total: number; bad_line: number | null; bad: string | null }>(
      await db.query(
        `SELECT count(TRY_CAST(x AS DOUBLE))::DOUBLE AS numbers, count(x)::DOUBLE AS total, ` +
          `min(line) FILTER (WHERE TRY_CAST(x AS DOUBLE) IS NULL)::DOUBLE AS bad_line, ` +
          `arg_min(x, line) FILTER (WHERE TRY_CAST(x AS DOUBLE) IS NULL) AS bad ` +
          `FROM (SELECT row_number() OVER () + 1 AS line, CAST(${c} AS VARCHAR) AS x FROM (${relation}))`
      )
    )[0];
    if (!categorical.includes(name) && check.total > 0 && check.numbers / check.total > 0.5) {
      throw new TwinFileError(
        `${path}: line ${check.bad_line}: column '${name}' holds '${check.bad ?? ''}', which is not a number ` +
          `(list it under import.categorical if the column is categorical)`
      );
    }
    const values = rowsOf<{ x: string | null }>(
      await db.query(`SELECT CAST(${c} AS VARCHAR) AS x FROM (${relation})`)
    );
    const levels = [...new Set(values.map((r) => r.x ?? ''))].sort();
    if (levels.length > 200) {
      throw new TwinFileError(
        `${path}: column '${name}' has ${levels.length} distinct text values; too many for a category`
      );
    }
    const code = new Map(levels.map((l, i) => [l, i]));
    columns.push({ name, levels, values: Float64Array.from(values, (r) => code.get(r.x ?? '')!) });
  }
  if (!columns.length) throw new TwinFileError(`${path}: has no covariate columns`);
  return { rows, columns };
}

/** Writes a query's rows to CSV or Parquet (native DuckDB only). */
export async function exportRelation(db: Connector, relation: string, path: string): Promise<void> {
  const format = formatOf(path);
  const options = format === 'csv' ? `(FORMAT csv, HEADER true)` : `(FORMAT parquet)`;
  await db.exec(`COPY (${relation}) TO ${sqlString(path)} ${options}`);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
