import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sqlString, type Connector } from '../db/connector';
import { formatOf, TwinFileError } from '../io/twin-file';

export interface ExportFile {
  /** A SQL query whose rows are written. */
  relation: string;
  /** A .csv or .parquet path. */
  path: string;
}

/**
 * Writes query results to CSV or Parquet files with DuckDB's COPY (native DuckDB only).
 * Each file is written under a temporary name in its own folder, and all are renamed into
 * place only when every one is complete: a failure (a full disk, Ctrl-C) leaves no
 * truncated file, no temporary file, and whatever file was there before.
 */
export async function exportFiles(db: Connector, files: readonly ExportFile[]): Promise<void> {
  // What would make a rename fail is checked first, so no file of the set is replaced then.
  for (const { path } of files) {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
      throw new TwinFileError(`${path}: cannot be written: it is a directory`);
  }
  const partial = files.map((f) => join(dirname(f.path), `.${basename(f.path)}.${process.pid}.partial`));
  let current = 0;
  try {
    for (; current < files.length; current++) {
      const { relation, path } = files[current];
      mkdirSync(dirname(path), { recursive: true });
      const options = formatOf(path) === 'csv' ? `(FORMAT csv, HEADER true)` : `(FORMAT parquet)`;
      await db.exec(`COPY (${relation}) TO ${sqlString(partial[current])} ${options}`);
    }
    for (current = 0; current < files.length; current++) renameSync(partial[current], files[current].path);
  } catch (e) {
    for (const p of partial) rmSync(p, { force: true });
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new TwinFileError(`${files[current].path}: cannot be written: ${reason}`);
  }
}
