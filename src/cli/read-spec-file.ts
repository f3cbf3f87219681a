import { readFileSync, statSync } from 'node:fs';
import { SpecError } from '../lib/spec/issues';
import { MAX_SPEC_BYTES } from '../lib/spec/limits';
import { tooLarge } from '../lib/spec/yaml-source';

/** What a failed read means to a person, by Node's error code. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a part of the path is not a folder)',
  EISDIR: 'is a directory, not a spec file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links'
};

/**
 * Reads a cohort or protocol file as text. A file that is missing, a directory,
 * unreadable or above MAX_SPEC_BYTES is a SpecError naming the file (bad input, exit 2),
 * found before the file is read into memory.
 */
export function readSpecFile(file: string): string {
  const fail = (message: string): never => {
    throw new SpecError([{ path: [], message }], file);
  };
  const reason = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return REASONS[code] ?? `cannot be read (${code || (e as Error).message})`;
  };
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    return fail(reason(e));
  }
  if (stat.isDirectory()) fail(REASONS.EISDIR);
  if (stat.size > MAX_SPEC_BYTES) fail(tooLarge(stat.size));
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return fail(reason(e));
  }
}
