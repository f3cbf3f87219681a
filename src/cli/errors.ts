import { InvalidArgumentError } from 'commander';
import { SpecError } from '../lib/spec/issues';
import { CohortError } from '../lib/runner/generate-cohort';
import { CohortGenerationError } from '../lib/engine/cohort';
import { TwinFileError } from '../lib/io/twin-file';
import { CancelledError } from '../lib/runner/pool';
import { CleanupFailedError } from '../lib/runner/cleanup';
import { PowerInputError } from '../lib/runner/power';
import { TwinSimulationError } from '../lib/engine/trial';
import { CovariateTypeError } from '../lib/db/cohort-store';
import { DatabaseFileError } from '../lib/db/node-connector';
import { CompareInputError } from '../lib/analysis/compare-errors';
import { SqlConsoleError } from '../lib/analysis/sql-console';
import { ShardError } from '../lib/node/shard/shard-range';
import { StatsInputError } from '../lib/stats/errors';
import { PatientDataError } from '../lib/engine/calibration/patient-record';
import { CalibrationModelError } from '../lib/engine/calibration/calibration-model';
import { ModelSpecError } from '../lib/engine/models/spec';
import { parseTime } from '../lib/spec/duration';
import { signalExitCode } from './interrupt';
import { stopProgressBars } from './progress';

/**
 * Exit codes, one rule for every command: 0 success; 2 bad input or a refused file or
 * spec (the user can fix it: the message says what and where); 1 an internal error
 * (a bug to report); 128 + the signal's number when cancelled by a signal (130 Ctrl-C,
 * 143 SIGTERM, 129 SIGHUP: see interrupt.ts).
 */
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Errors a user can fix: printed as messages, never with a stack trace. */
const INPUT_ERRORS: (new (...args: never[]) => Error)[] = [
  SpecError,
  CohortError,
  CohortGenerationError,
  CovariateTypeError,
  TwinFileError,
  TwinSimulationError,
  PowerInputError,
  DatabaseFileError,
  CompareInputError,
  SqlConsoleError,
  StatsInputError,
  PatientDataError,
  CalibrationModelError,
  ModelSpecError,
  ShardError,
  UsageError
];

/**
 * An error thrown in a worker thread crosses to this thread as a plain Error that keeps
 * only its name and message, so an error class is recognised by its name too (each sets
 * `this.name` to its class name).
 */
function isInputError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  const name = e.name;
  return INPUT_ERRORS.some((c) => e instanceof c || name === c.name);
}

/**
 * The file system refusing a write (a full disk, a file-size limit, no permission) is
 * the user's to fix, not a bug: reported like bad input.
 */
const STORAGE_FAILURE =
  /No space left on device|File too large|Disk quota exceeded|Read-only file system|Permission denied/i;

const REPORT =
  'please report this at the Twinbench issue tracker, with the command you ran; rerun with --debug for details';

export function isDebug(): boolean {
  return Boolean(process.env.TWINBENCH_DEBUG);
}

/** Runs a command action and turns its failure into a message and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
      // A signal that came after the command's last check still ends it as cancelled.
      if (signalExitCode()) process.exitCode = signalExitCode();
    } catch (e) {
      process.exitCode = reportFailure(e);
    }
  };
}

/** Prints a command's failure and returns its exit code. */
export function reportFailure(e: unknown): number {
  stopProgressBars();
  // Whether the error is the user's to fix is decided by the original error, not by
  // a cleanup that failed after it.
  const cause = e instanceof CleanupFailedError ? e.original : e;
  const message = e instanceof Error ? e.message : String(e);
  const cancelled = signalExitCode() ?? (cause instanceof CancelledError ? 130 : undefined);
  if (cancelled !== undefined) {
    process.stderr.write(`cancelled${e instanceof CleanupFailedError ? `: ${message}` : ''}\n`);
    return cancelled;
  }
  if (isInputError(cause) || STORAGE_FAILURE.test(message)) {
    process.stderr.write(`error: ${message}\n`);
    if (isDebug() && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return EXIT_BAD_INPUT;
  }
  // One line; the rest of the message (a query's text) and the stack come with --debug.
  process.stderr.write(`twinbench failed: ${message.split('\n')[0]} (${REPORT})\n`);
  if (isDebug()) process.stderr.write(`${e instanceof Error ? e.stack : message}\n`);
  return EXIT_INTERNAL;
}

/** Commander argument parsers that name the option and what is allowed. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return n;
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 0`);
    return n;
  };
}

/** A positive time such as 30min, 1h or 1d (a plain number is hours), in hours. */
export function positiveTime(name: string) {
  return (value: string): number => {
    const h = parseTime(value);
    if (h === undefined || !(h > 0))
      throw new InvalidArgumentError(`${name} must be a time greater than 0, such as 30min, 1h or 1d`);
    return h;
  };
}
