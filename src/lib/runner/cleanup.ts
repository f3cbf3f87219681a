import { CancelledError } from './pool';

/**
 * Cleaning up after a failure (marking the work failed, deleting its rows) can fail in
 * turn, e.g. on a disk that is still full. The original error must not be lost then, nor
 * the cleanup's: this error carries both, and `original` decides how it is reported.
 */
export class CleanupFailedError extends Error {
  constructor(
    readonly original: unknown,
    readonly cleanup: unknown
  ) {
    super(`${messageOf(original)} (and cleaning up after it failed too: ${messageOf(cleanup)})`);
    this.name = 'CleanupFailedError';
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs `cleanup` after `error`, then throws `error` (or a CleanupFailedError with both). */
export async function cleanUpAndThrow(error: unknown, cleanup: () => Promise<void>): Promise<never> {
  try {
    await cleanup();
  } catch (c) {
    throw new CleanupFailedError(error, c);
  }
  throw error;
}

/**
 * How work that ended with `e` is recorded (status, message) and what is thrown. Whatever
 * fails once `signal` is aborted is a cancellation: Ctrl-C interrupts the database
 * statement running then, which fails with DuckDB's own error.
 */
export function endedBy(
  e: unknown,
  signal?: AbortSignal
): { status: 'failed' | 'cancelled'; error: string; thrown: unknown } {
  const thrown = signal?.aborted && !(e instanceof CancelledError) ? new CancelledError() : e;
  const status = thrown instanceof CancelledError ? 'cancelled' : 'failed';
  return { status, error: messageOf(thrown), thrown };
}
