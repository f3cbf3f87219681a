/** What a failed stat or read of a file named by the user means to a person, by Node's error code. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a part of the path is not a folder)',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links'
};

export const IS_A_DIRECTORY = REASONS.EISDIR;

export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? `cannot be read (${code || (e as Error).message})`;
}
