import { TwinFileError } from './twin-file-error';

export type TwinFileFormat = 'csv' | 'parquet';

/** The format of a data file, by its extension. */
export function formatOf(path: string): TwinFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  throw new TwinFileError(`${path}: unknown file type; use a .csv or .parquet file`);
}
