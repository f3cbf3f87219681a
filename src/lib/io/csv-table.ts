import { rowsOf, scalar, sqlIdent, sqlString, type Connector } from '../db/connector';
import { TwinFileError } from './twin-file-error';

/**
 * A CSV file read as text into a temporary table, one VARCHAR column per header name and a
 * row number, without DuckDB's dialect and type sniffing: the sniffer, given one short or
 * long row, reads a whole file as a single column and reports nothing. The dialect is
 * fixed instead (RFC 4180: comma separated, double quotes with "" inside, a header line,
 * no comment lines), so a malformed line is an error naming its line, and values are
 * typed later from the whole column (file-table.ts).
 */
export interface CsvTable {
  /** the temporary table: ROW_COLUMN (1, 2, … in file order), then the header's columns */
  table: string;
  names: string[];
  rows: number;
  /** data row k is on line k + 1: no blank line and no line break inside a quoted value */
  linesExact: boolean;
}

/** The row-number column of a file's tables; not a name a header may use. */
export const ROW_COLUMN = '#row';

const DIALECT = `delim = ',', quote = '"', escape = '"', comment = ''`;

export async function readCsvTable(db: Connector, path: string, table: string): Promise<CsvTable> {
  const file = sqlString(path);
  const names = await headerNames(db, path);
  const columns = `{${names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ')}}`;
  try {
    await db.exec(
      `CREATE TEMP TABLE ${sqlIdent(table)} AS SELECT row_number() OVER () AS ${sqlIdent(ROW_COLUMN)}, * ` +
        `FROM read_csv(${file}, ${DIALECT}, header = true, auto_detect = false, columns = ${columns}, ` +
        `strict_mode = true, null_padding = false)`
    );
  } catch (e) {
    throw csvError(path, e);
  }
  const rows = Number(await scalar(db, `SELECT count(*) FROM ${sqlIdent(table)}`));
  return { table, names, rows, linesExact: (await physicalLines(db, path)) === rows + 1 };
}

/**
 * The header's names as written (DuckDB would rename a repeated name to name_1), from the
 * first line read whole: DuckDB's sniffer is not asked, as it fails on files with a
 * malformed line, which the strict read then reports with its number.
 */
async function headerNames(db: Connector, path: string): Promise<string[]> {
  let head: { line: string | null }[];
  try {
    head = rowsOf(await db.query(`SELECT line FROM (${linesOf(path)}) LIMIT 1`));
  } catch (e) {
    throw csvError(path, e);
  }
  if (!head.length) throw new TwinFileError(`${path}: the file is empty`);
  if (!head[0].line?.trim())
    throw new TwinFileError(`${path}: line 1 is blank; the header must be on line 1`);
  const names = splitHeader(path, head[0].line).map((n) => n.trim());
  // One name holding a semicolon or tab: a file in another dialect, which would read as one column.
  if (names.length === 1 && /[;\t|]/.test(names[0])) {
    throw new TwinFileError(
      `${path}: line 1 has one column '${names[0]}'; fields must be separated by commas`
    );
  }
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw new TwinFileError(`${path}: line 1: column ${i + 1} has no name`);
    if (name === ROW_COLUMN) throw new TwinFileError(`${path}: line 1: '${ROW_COLUMN}' is not a usable name`);
    // SQL names are not case-sensitive, so 'Age' and 'age' would be one column.
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      const same = names[first] === name;
      throw new TwinFileError(
        `${path}: line 1: columns ${first + 1} and ${i + 1} are both named ` +
          (same ? `'${name}'` : `'${names[first]}' and '${name}' (names are not case-sensitive)`) +
          `; column names must be unique`
      );
    }
    seen.set(name.toLowerCase(), i);
  });
  return names;
}

/** The fields of a header line: comma separated, a field in double quotes may hold commas and "". */
function splitHeader(path: string, line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      for (i++; ; i++) {
        if (i >= line.length) throw new TwinFileError(`${path}: line 1: a quoted name is not closed`);
        if (line[i] === '"' && line[i + 1] === '"') field += line[++i];
        else if (line[i] === '"') break;
        else field += line[i];
      }
      i++;
    }
    const comma = line.indexOf(',', i);
    const end = comma < 0 ? line.length : comma;
    fields.push(field + line.slice(i, end));
    if (comma < 0) return fields;
    i = comma + 1;
  }
}

/** The file's lines, blank ones included, as one column `line` (no field splitting, quotes ignored). */
function linesOf(path: string): string {
  return (
    `SELECT * FROM read_csv(${sqlString(path)}, header = false, auto_detect = false, ` +
    `columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', strict_mode = false)`
  );
}

/**
 * How many lines the file has, blank ones included; -1 when they cannot be counted. Equal to
 * rows + 1 exactly when every row is on its own line.
 */
async function physicalLines(db: Connector, path: string): Promise<number> {
  try {
    return Number(await scalar(db, `SELECT count(*) FROM (${linesOf(path)})`));
  } catch {
    return -1;
  }
}

/** DuckDB's CSV error as one line naming the file and the line (its message spans ~20). */
function csvError(path: string, e: unknown): TwinFileError {
  const message = e instanceof Error ? e.message : String(e);
  if (/No files found/i.test(message)) return new TwinFileError(`${path}: no such file`);
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (line && fields) {
    const [, expected, found] = fields;
    return new TwinFileError(
      `${path}: line ${line} has ${found} ${found === '1' ? 'field' : 'fields'} but the header has ${expected}` +
        (found === '1' ? ' (fields must be separated by commas)' : '')
    );
  }
  if (line) {
    // The reason is the last line before DuckDB's list of possible fixes.
    const lines = message.split('\n').map((l) => l.trim());
    const end = lines.findIndex((l) => l.startsWith('Possible fixes'));
    const reason = lines
      .slice(2, end < 0 ? lines.length : end)
      .filter((l) => l)
      .pop();
    const said = reason && /unterminated quote/i.test(reason) ? 'a quoted value is not closed' : reason;
    return new TwinFileError(`${path}: line ${line}: ${said ?? 'cannot be read'}`);
  }
  return new TwinFileError(`${path}: cannot be read as CSV: ${message.split('\n')[0]}`);
}
