// How `npm test` counts a suite's results (tests/run-all.mjs). Kept apart from the runner
// so that the counting itself is tested (tests/faults/test-runner.test.ts).

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */
/** @typedef {Counts & { line: string }} Tally */

/**
 * Counts one vitest run from its JSON report and exit status. Every way a suite can go
 * wrong is at least one failure, so the total can never read "0 failed" by accident:
 * - no report (vitest crashed, or its config failed to load);
 * - a test file that failed before any of its tests ran (an error at import);
 * - a non-zero exit with no failed test (an unhandled error or rejection outside tests);
 * - with `skippedIsFailure` (the browser suite in CI), every skipped test.
 * Skipped counts `it.skip`/`skipIf` tests and todos.
 * @param {string} name
 * @param {any} report the parsed JSON report, or undefined when there is none
 * @param {number | null} status the exit status (null when killed by a signal)
 * @param {{ skippedIsFailure?: string }} [options] the reason skipping is not allowed
 * @returns {Tally}
 */
export function tallyVitest(name, report, status, options = {}) {
  if (!report || !Array.isArray(report.testResults))
    return { passed: 0, failed: 1, skipped: 0, line: `${name}: crashed, no report (${exitText(status)})` };
  const notes = [];
  const importErrors = report.testResults.filter(
    /** @param {any} f */ (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0
  ).length;
  if (importErrors) notes.push(`${importErrors} test file(s) failed before their tests ran`);
  const passed = report.numPassedTests ?? 0;
  let failed = (report.numFailedTests ?? 0) + importErrors;
  let skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (status !== 0 && failed === 0) {
    failed = 1;
    notes.push(`${exitText(status)} with no failed test: an error outside the tests, see above`);
  }
  if (options.skippedIsFailure && skipped > 0) {
    notes.push(`${skipped} skipped test(s) count as failed: ${options.skippedIsFailure}`);
    failed += skipped;
    skipped = 0;
  }
  const counts = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  return {
    passed,
    failed,
    skipped,
    line: `${name}: ${counts}${notes.length ? ` (${notes.join('; ')})` : ''}`
  };
}

/**
 * A suite that is one command (the type check): passed or failed as one.
 * @param {string} name
 * @param {number | null} status
 * @returns {Tally}
 */
export function tallyCommand(name, status) {
  const ok = status === 0;
  return {
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    skipped: 0,
    line: `${name}: ${ok ? 'passed' : `failed (${exitText(status)})`}`
  };
}

/**
 * Counts a suite that reports in TAP (the Slurm test, tests/cluster/slurm.sh): each
 * `ok`/`not ok` line is one check passed or failed. As for vitest, anything that went wrong
 * is at least one failure: a planned check that did not run (the script stopped, `Bail out!`
 * says why), a non-zero exit with no failed check, no TAP at all. A plan of `1..0 # SKIP why`
 * (the suite cannot run on this machine) is one skipped test, or with `skippedIsFailure`
 * (CI, which installs what the suite needs) one failure. Only this subset of TAP is read,
 * which is all the script writes.
 * @param {string} name
 * @param {string | undefined} tap the TAP text, or undefined when the suite wrote none
 * @param {number | null} status
 * @param {{ skippedIsFailure?: string }} [options]
 * @returns {Tally}
 */
export function tallyTap(name, tap, status, options = {}) {
  const lines = (tap ?? '').split('\n').map((l) => l.trim());
  const skip = lines.map((l) => /^1\.\.0\s*#\s*skip\b:?\s*(.*)$/i.exec(l)).find(Boolean);
  if (skip) {
    const why = skip[1] || 'no reason given';
    return options.skippedIsFailure
      ? {
          passed: 0,
          failed: 1,
          skipped: 0,
          line: `${name}: failed, could not run (${why}; ${options.skippedIsFailure})`
        }
      : { passed: 0, failed: 0, skipped: 1, line: `${name}: skipped (${why})` };
  }
  const passed = lines.filter((l) => /^ok\b/.test(l)).length;
  const notOk = lines.filter((l) => /^not ok\b/.test(l)).length;
  const plan = lines.map((l) => /^1\.\.(\d+)/.exec(l)).find(Boolean);
  if (!plan && passed + notOk === 0)
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      line: `${name}: crashed, no TAP output (${exitText(status)})`
    };
  const notes = [];
  const notRun = plan ? Math.max(0, Number(plan[1]) - passed - notOk) : 0;
  if (notRun) {
    const bail = lines.map((l) => /^Bail out!\s*(.*)$/.exec(l)).find(Boolean);
    const why = bail?.[1] || `the script stopped (${exitText(status)}), see above`;
    notes.push(`${notRun} of ${plan?.[1]} checks did not run: ${why}`);
  }
  let failed = notOk + notRun;
  if (status !== 0 && failed === 0) {
    failed = 1;
    notes.push(`${exitText(status)} with no failed check: an error after the checks, see above`);
  }
  const counts = `${passed} passed, ${failed} failed, 0 skipped`;
  return {
    passed,
    failed,
    skipped: 0,
    line: `${name}: ${counts}${notes.length ? ` (${notes.join('; ')})` : ''}`
  };
}

/**
 * The last line of `npm test`.
 * @param {Counts} totals
 */
export function finalLine(totals) {
  return `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
}

/**
 * Whether we run in CI: the CI variable that CI services (and .ci/run) set.
 * @param {Record<string, string | undefined>} env
 */
export function inCi(env) {
  const ci = env.CI ?? '';
  return ci !== '' && !['0', 'false'].includes(ci.toLowerCase());
}

/** @param {number | null} status */
function exitText(status) {
  return status === null ? 'killed by a signal' : `exit ${status}`;
}
