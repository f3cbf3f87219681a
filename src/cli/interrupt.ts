/**
 * Signals during a long command (cohort, run, power, describe, analyze, simulate).
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP all cancel the same way: the first aborts the
 * command's AbortSignal and stops the database statement running now, so the work is
 * marked cancelled and its rows deleted before the process exits with 128 + the
 * signal's number. A second signal while that cleanup runs only says so (the cleanup is
 * quick, and killing it halfway would leave rows behind); a third quits at once — what it
 * leaves is marked interrupted the next time the database is opened (db/recover.ts).
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

type StopSignal = keyof typeof SIGNAL_EXIT_CODES;
const SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

let received: StopSignal | undefined;

/** The exit code for the signal that cancelled the command, if one did. */
export function signalExitCode(): number | undefined {
  return received && SIGNAL_EXIT_CODES[received];
}

export interface Interrupts {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** Runs `stop` on the first signal (at once if it has come already). */
  onInterrupt(stop: () => void): void;
  /** Ends the listening: a signal from now on exits at once (see below). */
  dispose(): void;
}

export function listenForInterrupts(): Interrupts {
  const controller = new AbortController();
  const stops: (() => void)[] = [];
  let count = 0;
  const handler = (signal: StopSignal) => {
    count++;
    received ??= signal;
    if (count === 1) {
      controller.abort();
      for (const stop of stops) stop();
    } else if (count === 2) {
      process.stderr.write(`\ncancelling: cleaning up (${signal} once more quits without cleaning up)\n`);
    } else {
      process.stderr.write(
        'quit without cleaning up: the work is marked interrupted the next time its database is opened\n'
      );
      process.exit(SIGNAL_EXIT_CODES[received]);
    }
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    onInterrupt(stop) {
      stops.push(stop);
      if (controller.signal.aborted) stop();
    },
    dispose() {
      // The work is finished or cleaned up: a signal now (while the database closes) ends
      // the process at once, with the same exit code as a signal that came earlier.
      const quit = (signal: StopSignal) => process.exit(SIGNAL_EXIT_CODES[received ?? signal]);
      for (const s of SIGNALS) {
        process.off(s, handler);
        process.on(s, quit);
      }
    }
  };
}
