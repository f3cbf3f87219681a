import { readFileSync, statSync } from 'node:fs';
import { SpecError } from '../lib/spec/issues';
import { MAX_MODEL_BYTES } from '../lib/engine/model-language';
import { MAX_SPEC_BYTES } from '../lib/spec/limits';
import { tooLarge } from '../lib/spec/yaml-source';
import { fileErrorReason, IS_A_DIRECTORY } from './file-error-reason';

/** The largest file read, and what to say about a larger one. */
export interface FileLimit {
  bytes: number;
  tooLarge: (bytes: number) => string;
}

const SPEC_LIMIT: FileLimit = { bytes: MAX_SPEC_BYTES, tooLarge };

/** A model file a protocol names: the model language's own limit. */
export const MODEL_FILE_LIMIT: FileLimit = {
  bytes: MAX_MODEL_BYTES,
  tooLarge: (bytes) =>
    `the model is ${bytes.toLocaleString('en-US')} bytes; at most ${MAX_MODEL_BYTES} are read`
};

/**
 * Reads a cohort, protocol or model file as text. A file that is missing, a directory,
 * unreadable or above its limit (MAX_SPEC_BYTES unless given) is a SpecError naming the
 * file (bad input, exit 2), found before the file is read into memory.
 */
export function readSpecFile(file: string, limit: FileLimit = SPEC_LIMIT): string {
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
  if (stat.size > limit.bytes) fail(limit.tooLarge(stat.size));
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return fail(fileErrorReason(e));
  }
}
