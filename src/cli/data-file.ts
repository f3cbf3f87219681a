import { accessSync, constants, statSync } from 'node:fs';
import { TwinFileError } from '../lib/io/twin-file';

/**
 * Checks a data file named on the command line (or in a cohort's import) before DuckDB
 * reads it, which cannot tell a directory from a missing file: a missing file, a directory
 * and an unreadable file each get a message naming the path, never a raw ENOENT or EISDIR.
 */
export function checkDataFile(path: string): void {
  try {
    if (statSync(path).isDirectory()) throw new TwinFileError(`${path}: is a directory, not a file`);
    accessSync(path, constants.R_OK);
  } catch (e) {
    if (e instanceof TwinFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new TwinFileError(`${path}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new TwinFileError(`${path}: permission denied`);
    throw new TwinFileError(`${path}: cannot be read (${code ?? (e as Error).message})`);
  }
}
