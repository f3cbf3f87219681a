import { accessSync, constants, statSync } from 'node:fs';
import { TwinFileError } from '../lib/io/twin-file';
import { fileErrorReason, IS_A_DIRECTORY } from './file-error-reason';

/**
 * Checks a data file named on the command line (or in a cohort's import) before DuckDB
 * reads it, which cannot tell a directory from a missing file: a missing file, a directory
 * and an unreadable file each get a message naming the path, never a raw ENOENT or EISDIR.
 */
export function checkDataFile(path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
    if (!isDirectory) accessSync(path, constants.R_OK);
  } catch (e) {
    throw new TwinFileError(`${path}: ${fileErrorReason(e)}`);
  }
  if (isDirectory) throw new TwinFileError(`${path}: ${IS_A_DIRECTORY}`);
}
