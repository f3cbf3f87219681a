#!/usr/bin/env node
// Runs every suite — type check, unit/integration/golden/fault tests, browser e2e tests —
// and ends with one line `N passed, N failed, N skipped` summing them all, also when a
// suite crashes. In CI (the CI variable set) a skipped browser test is a failure: CI
// installs Chromium, so a skip there means the browser suite silently did not run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { finalLine, inCi, tallyCommand, tallyVitest } from './run-all-summary.mjs';

/** The suites of `npm test`, in order. */
export const SUITES = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'check'] },
  { name: 'unit', vitest: [] },
  {
    name: 'e2e',
    vitest: ['--config', 'tests/e2e/vitest.config.ts'],
    mustRunInCi: 'CI must run the browser tests (is Chromium installed?)'
  }
];

/**
 * Runs `suites` (see SUITES), printing each one's output, a line per suite and the final
 * total; returns the exit status (0 when nothing failed). Reports go to `reports`.
 */
export function runAll(suites, { reports, ci }) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const lines = [];
  const add = (t) => {
    totals.passed += t.passed;
    totals.failed += t.failed;
    totals.skipped += t.skipped;
    lines.push(t.line);
  };
  try {
    rmSync(reports, { recursive: true, force: true });
    mkdirSync(reports, { recursive: true });
    for (const suite of suites) {
      try {
        add(runSuite(suite, reports, ci));
      } catch (e) {
        add({ passed: 0, failed: 1, skipped: 0, line: `${suite.name}: could not run (${e.message})` });
      }
    }
  } catch (e) {
    add({ passed: 0, failed: 1, skipped: 0, line: `run-all: ${e.message}` });
  } finally {
    process.stdout.write(`\n${lines.join('\n')}\n${finalLine(totals)}\n`);
  }
  return totals.failed ? 1 : 0;
}

function runSuite(suite, reports, ci) {
  if (suite.command) return tallyCommand(suite.name, run(suite.command));
  const out = `${reports}/${suite.name}.json`;
  const status = run([
    'npx',
    'vitest',
    'run',
    ...suite.vitest,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`
  ]);
  let report;
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    report = undefined; // no report, or a truncated one: the suite crashed
  }
  return tallyVitest(suite.name, report, status, { skippedIsFailure: ci ? suite.mustRunInCi : undefined });
}

function run([cmd, ...args]) {
  process.stdout.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.error) throw r.error;
  return r.status;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const reports = new URL('../tmp/test-reports', import.meta.url).pathname;
  process.exitCode = runAll(SUITES, { reports, ci: inCi(process.env) });
}
