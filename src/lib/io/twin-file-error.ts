/**
 * A data file (CSV or Parquet) Twinbench refuses to read, with a message naming the file
 * and, where it applies, the line, row and column. The CLI prints it and exits with 2.
 */
export class TwinFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwinFileError';
  }
}
