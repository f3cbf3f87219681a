import type { ImportedTable } from '../engine/cohort';
import { rowsOf, scalar, sqlIdent, type Connector } from '../db/connector';
import { formatOf } from './file-format';
import { openFileTable, ROW_COLUMN } from './file-table';
import { TwinFileError } from './twin-file-error';

/**
 * Twin tables in files (CSV or Parquet, one row per twin). Imported twins are read through
 * openFileTable (file-table.ts), as `describe` and `analyze` read their files.
 */
export { formatOf, TwinFileError };
export type { TwinFileFormat } from './file-format';

/**
 * Reads a file of prepared or real covariates as imported twins. Text columns (and
 * those named in `categorical`) become categorical with sorted levels; numeric columns
 * must be complete. A column that is mostly numbers but holds some text is reported
 * with its first bad row, rather than silently turned into a category.
 */
export async function readImportedTable(
  db: Connector,
  path: string,
  categorical: string[] = []
): Promise<ImportedTable> {
  const file = await openFileTable(db, path);
  try {
    const row = sqlIdent(ROW_COLUMN);
    const columns: ImportedTable['columns'] = [];
    for (const col of file.columns) {
      const { name } = col;
      if (name.toLowerCase() === 'twin_id') continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new TwinFileError(
          `${path}: column '${name}' is not a usable name (letters, digits and _ only)`
        );
      }
      const c = sqlIdent(name);
      const isCategory = categorical.includes(name);
      if ((col.kind === 'integer' || col.kind === 'number') && !isCategory) {
        const missing = await scalar<number | null>(
          db,
          `SELECT min(${row})::DOUBLE FROM (${file.numbered}) WHERE ${c} IS NULL`
        );
        if (missing !== null)
          throw new TwinFileError(`${path}: ${file.where(missing)}: column '${name}' is empty`);
        const values = await db.query(`SELECT ${c}::DOUBLE AS x FROM (${file.numbered}) ORDER BY ${row}`);
        columns.push({ name, values: Float64Array.from(values.getChildAt(0)!.toArray() as Float64Array) });
        continue;
      }
      // Text: categorical, unless most of it is numbers — then it is a number column with a
      // typo, reported by row (a category such as CKD stage 3a belongs in import.categorical).
      if (col.firstText && !isCategory) {
        throw new TwinFileError(
          `${path}: ${file.where(col.firstText.row)}: column '${name}' holds '${col.firstText.text}', which is not a number ` +
            `(list it under import.categorical if the column is categorical)`
        );
      }
      const values = rowsOf<{ x: string | null }>(
        await db.query(`SELECT ${c} AS x FROM (${file.text}) ORDER BY ${row}`)
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
    return { rows: file.rows, columns };
  } finally {
    await file.drop();
  }
}
