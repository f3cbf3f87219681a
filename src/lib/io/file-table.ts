import { rowsOf, scalar, sqlIdent, sqlString, type Connector } from '../db/connector';
import { readCsvTable, ROW_COLUMN } from './csv-table';
import { formatOf, type TwinFileFormat } from './file-format';
import { TwinFileError } from './twin-file-error';

/**
 * The one way a user's data file (CSV or Parquet, one row per subject) is read, for
 * `describe`, cohort import and `analyze`. Opening checks the whole file: it exists and is
 * not empty, it has rows, every line of a CSV has the header's fields, no Parquet column is
 * nested, and no number is ±Inf or NaN (quoted as the file writes it, with its row and
 * column). CSV columns are typed from all their values: integer when every value is a
 * whole number, number when every value is a number, text otherwise.
 */
export type ColumnKind = 'integer' | 'number' | 'text' | 'other';

export interface FileColumn {
  name: string;
  kind: ColumnKind;
  /** a text column whose values are mostly numbers: its first value that is not one */
  firstText?: { row: number; text: string };
}

export interface FileTable {
  path: string;
  format: TwinFileFormat;
  columns: FileColumn[];
  rows: number;
  /** the file's columns, typed, in file order */
  relation: string;
  /** ROW_COLUMN (1, 2, … in file order), then the typed columns */
  numbered: string;
  /** ROW_COLUMN, then every column as VARCHAR as the file writes it (NULL when empty) */
  text: string;
  /** SQL naming the row whose number is the SQL expression `row`, e.g. 'row 3 (line 4)' */
  rowLabel(row: string): string;
  /** the same in JS */
  where(row: number): string;
  /** text columns that are mostly numbers, said once (describe prints them) */
  notes: string[];
  /** drops the file's temporary table, if any */
  drop(): Promise<void>;
}

export { ROW_COLUMN };

const INTEGER_TYPE = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/;
const FLOAT_TYPE = /^(FLOAT|DOUBLE)$/;
const NESTED_TYPES: [RegExp, string][] = [
  [/\]$/, 'a list'],
  [/^STRUCT\(/, 'a struct'],
  [/^MAP\(/, 'a map'],
  [/^UNION\(/, 'a union']
];

let opened = 0;

export async function openFileTable(db: Connector, path: string): Promise<FileTable> {
  const format = formatOf(path);
  await checkSize(db, path);
  return format === 'csv' ? openCsv(db, path) : openParquet(db, path);
}

/** Missing and empty files, said plainly (DuckDB's own errors are less clear). */
async function checkSize(db: Connector, path: string): Promise<void> {
  const size = rowsOf<{ size: number }>(await db.query(`SELECT size FROM read_blob(${sqlString(path)})`));
  if (!size.length) throw new TwinFileError(`${path}: no such file`);
  if (size[0].size === 0) throw new TwinFileError(`${path}: the file is empty`);
}

async function openCsv(db: Connector, path: string): Promise<FileTable> {
  const name = `twin_file_${++opened}`;
  const table = sqlIdent(name);
  const drop = () => db.exec(`DROP TABLE IF EXISTS ${table}`);
  try {
    const csv = await readCsvTable(db, path, name);
    if (csv.rows === 0) throw new TwinFileError(`${path}: has no rows (only a header)`);
    const row = sqlIdent(ROW_COLUMN);
    const text = `SELECT * FROM ${table}`;
    const place = placeOf(csv.linesExact);
    const stats = await numberStats(db, text, csv.names);
    const columns = csv.names.map((n, i) => csvColumn(path, n, stats[i], place.where));
    const typed = columns.map((c) => `${typedValue(c)} AS ${sqlIdent(c.name)}`).join(', ');
    const numbered = `SELECT ${row}, ${typed} FROM ${table}`;
    return {
      path,
      format: 'csv',
      columns,
      rows: csv.rows,
      relation: `SELECT ${typed} FROM ${table}`,
      numbered,
      text,
      ...place,
      notes: notesOf(columns, place.where),
      drop
    };
  } catch (e) {
    await drop();
    throw e;
  }
}

async function openParquet(db: Connector, path: string): Promise<FileTable> {
  const file = sqlString(path);
  let described: { column_name: string; column_type: string }[];
  try {
    described = rowsOf(await db.query(`DESCRIBE SELECT * FROM read_parquet(${file})`));
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new TwinFileError(
      `${path}: cannot be read as Parquet: ${message.replace(/^[A-Za-z ]+Error: /, '')}`
    );
  }
  for (const { column_name: name, column_type: type } of described) {
    // One number or text per row: a list, array, struct or map has no place in Table 1 or a cohort.
    const nested = NESTED_TYPES.find(([pattern]) => pattern.test(type));
    if (nested) {
      throw new TwinFileError(
        `${path}: column '${name}' is ${nested[1]} (${type}); each column must hold one number or text per row`
      );
    }
  }
  const row = sqlIdent(ROW_COLUMN);
  const numbered =
    `SELECT file_row_number + 1 AS ${row}, * EXCLUDE (file_row_number) ` +
    `FROM read_parquet(${file}, file_row_number = true)`;
  const rows = Number(await scalar(db, `SELECT count(*) FROM read_parquet(${file})`));
  if (rows === 0) throw new TwinFileError(`${path}: has no rows`);
  const names = described.map((d) => d.column_name);
  const text = `SELECT ${row}, ${names.map((n) => `CAST(${sqlIdent(n)} AS VARCHAR) AS ${sqlIdent(n)}`).join(', ')} FROM (${numbered})`;
  const place = placeOf(false);
  const stats = await numberStats(db, text, names);
  const columns = described.map(({ column_name: name, column_type: type }, i): FileColumn => {
    if (INTEGER_TYPE.test(type)) return { name, kind: 'integer' };
    if (FLOAT_TYPE.test(type)) rejectNonFinite(path, name, stats[i], place.where);
    if (FLOAT_TYPE.test(type) || type.startsWith('DECIMAL')) return { name, kind: 'number' };
    if (type === 'VARCHAR') return { name, kind: 'text', firstText: mostlyNumbers(stats[i]) };
    return { name, kind: 'other' };
  });
  return {
    path,
    format: 'parquet',
    columns,
    rows,
    relation: `SELECT * FROM read_parquet(${file})`,
    numbered,
    text,
    ...place,
    notes: notesOf(columns, place.where),
    drop: async () => {}
  };
}

/** How rows are named: by number, and by line when every row of a CSV is on its own line. */
function placeOf(linesExact: boolean): Pick<FileTable, 'rowLabel' | 'where'> {
  return linesExact
    ? {
        rowLabel: (r) => `'row ' || (${r}) || ' (line ' || ((${r}) + 1) || ')'`,
        where: (r) => `row ${r} (line ${r + 1})`
      }
    : { rowLabel: (r) => `'row ' || (${r})`, where: (r) => `row ${r}` };
}

interface NumberStats {
  /** values that are not empty */
  present: number;
  /** values DuckDB reads as a double, ±Inf and NaN included */
  numbers: number;
  /** of which whole numbers within ±2^53 */
  integers: number;
  /** the first value (and its row) that is not a number, and the first ±Inf or NaN */
  textRow: number | null;
  text: string | null;
  nonFiniteRow: number | null;
  nonFiniteText: string | null;
}

/**
 * For each column of `text` (VARCHAR): how many values are numbers and whole numbers, with
 * the first text value and the first ±Inf/NaN, in one scan. A number is what DuckDB's cast
 * reads (spaces around it allowed): the same reading that then types the column.
 */
async function numberStats(db: Connector, text: string, names: string[]): Promise<NumberStats[]> {
  const row = sqlIdent(ROW_COLUMN);
  const values = names.map((n, i) => `${sqlIdent(n)} AS v${i}, TRY_CAST(${sqlIdent(n)} AS DOUBLE) AS d${i}`);
  const parts = names.map((_, i) => {
    const [v, d] = [`v${i}`, `d${i}`];
    const isText = `${v} IS NOT NULL AND ${d} IS NULL`;
    const nonFinite = `NOT isfinite(${d})`;
    return (
      `count(${v})::DOUBLE AS present${i}, count(${d})::DOUBLE AS numbers${i}, ` +
      `count(*) FILTER (WHERE ${d} = trunc(${d}) AND abs(${d}) <= ${2 ** 53})::DOUBLE AS integers${i}, ` +
      `min(${row}) FILTER (WHERE ${isText})::DOUBLE AS textRow${i}, ` +
      `arg_min(${v}, ${row}) FILTER (WHERE ${isText}) AS text${i}, ` +
      `min(${row}) FILTER (WHERE ${nonFinite})::DOUBLE AS nonFiniteRow${i}, ` +
      `arg_min(${v}, ${row}) FILTER (WHERE ${nonFinite}) AS nonFiniteText${i}`
    );
  });
  const r = rowsOf<Record<string, number | string | null>>(
    await db.query(`SELECT ${parts.join(', ')} FROM (SELECT ${row}, ${values.join(', ')} FROM (${text}))`)
  )[0];
  return names.map((_, i) => ({
    present: r[`present${i}`] as number,
    numbers: r[`numbers${i}`] as number,
    integers: r[`integers${i}`] as number,
    textRow: r[`textRow${i}`] as number | null,
    text: r[`text${i}`] as string | null,
    nonFiniteRow: r[`nonFiniteRow${i}`] as number | null,
    nonFiniteText: r[`nonFiniteText${i}`] as string | null
  }));
}

function csvColumn(path: string, name: string, s: NumberStats, where: (row: number) => string): FileColumn {
  if (s.present > 0 && s.numbers === s.present) {
    rejectNonFinite(path, name, s, where);
    return { name, kind: s.integers === s.present ? 'integer' : 'number' };
  }
  return { name, kind: 'text', firstText: mostlyNumbers(s) };
}

/** ±Inf and NaN are never data: refused in every column that holds numbers, never stored. */
function rejectNonFinite(path: string, name: string, s: NumberStats, where: (row: number) => string) {
  if (s.nonFiniteRow === null) return;
  throw new TwinFileError(
    `${path}: ${where(s.nonFiniteRow)}: column '${name}' holds '${s.nonFiniteText}', which is not a finite number`
  );
}

/** A text column that is mostly numbers is probably a number column with a typo. */
function mostlyNumbers(s: NumberStats): FileColumn['firstText'] {
  if (s.textRow === null || s.numbers / s.present <= 0.5) return undefined;
  return { row: s.textRow, text: s.text ?? '' };
}

function typedValue(c: FileColumn): string {
  if (c.kind === 'integer') return `CAST(${sqlIdent(c.name)} AS BIGINT)`;
  if (c.kind === 'number') return `CAST(${sqlIdent(c.name)} AS DOUBLE)`;
  return sqlIdent(c.name);
}

function notesOf(columns: FileColumn[], where: (row: number) => string): string[] {
  return columns
    .filter((c) => c.firstText)
    .map(
      (c) =>
        `column '${c.name}' is read as text: ${where(c.firstText!.row)} holds '${c.firstText!.text}', which is not a number`
    );
}
