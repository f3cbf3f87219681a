import { readFileSync, statSync } from 'node:fs';
import { SpecError } from '../lib/spec/issues';
import { MAX_SPEC_BYTES } from '../lib/spec/limits';
import { tooLarge } from '../lib/spec/yaml-source';
import { fileErrorReason, IS_A_DIRECTORY } from './file-error-reason';

/**
 * Reads a cohort or protocol file as text. A file that is missing, a directory,
 * unreadable or above MAX_SPEC_BYTES is a SpecError naming the file (bad input, exit 2),
 * found before the file is read into memory.
 */
export function readSpecFile(file: string): string {
  const fail = (message: string): never => {
    throw new SpecError([{ path: [], message }], file);
  };
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    return fail(fileErrorReason(e));
  }
  if (stat.isDirectory()) fail(IS_A_DIRECTORY);
  if (stat.size > MAX_SPEC_BYTES) fail(tooLarge(stat.size));
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return fail(fileErrorReason(e));
  }
}
