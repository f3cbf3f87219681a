#!/usr/bin/env node
// Runs every suite — type check, unit/integration/golden/fault tests, browser e2e tests,
// the Slurm cluster test — and ends with one line `N passed, N failed, N skipped` summing
// them all, also when a suite crashes. In CI (the CI variable set) a skipped browser test
// or a skipped cluster test is a failure: CI installs Chromium and Slurm, so a skip there
// means a suite silently did not run.
//
//   node tests/run-all.mjs [suite ...]     (no suite: all of them, in order)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { finalLine, inCi, tallyCommand, tallyTap, tallyVitest } from './run-all-summary.mjs';

/** The suites of `npm test`, in order. */
export const SUITES = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'check'] },
  { name: 'unit', vitest: [] },
  {
    name: 'e2e',
    vitest: ['--config', 'tests/e2e/vitest.config.ts'],
    mustRunInCi: 'CI must run the browser tests (is Chromium installed?)'
  },
  {
    // A private one-node Slurm cluster: skipped when not root or Slurm is not installed.
    name: 'cluster',
    tap: ['bash', 'tests/cluster/slurm.sh', '--skip-unavailable'],
    mustRunInCi: 'CI must run the Slurm test (as root, with slurm-wlm and munge installed by .ci/run)'
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
  const skippedIsFailure = ci ? suite.mustRunInCi : undefined;
  if (suite.command) return tallyCommand(suite.name, run(suite.command));
  if (suite.tap) {
    const out = `${reports}/${suite.name}.tap`;
    const status = run([...suite.tap, '--tap', out]);
    let tap;
    try {
      tap = readFileSync(out, 'utf8');
    } catch {
      tap = undefined; // the suite stopped before writing any
    }
    return tallyTap(suite.name, tap, status, { skippedIsFailure });
  }
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
  return tallyVitest(suite.name, report, status, { skippedIsFailure });
}

function run([cmd, ...args]) {
  process.stdout.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.error) throw r.error;
  return r.status;
}

/**
 * The suites named (all of them when none is), in SUITES' order; an unknown name is an
 * error naming the suites.
 * @param {string[]} names
 */
export function selectSuites(names) {
  const unknown = names.find((n) => !SUITES.some((s) => s.name === n));
  if (unknown !== undefined)
    throw new Error(
      `unknown suite '${unknown}' (allowed: ${SUITES.map((s) => s.name).join(', ')}; none runs them all)`
    );
  return names.length ? SUITES.filter((s) => names.includes(s.name)) : SUITES;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let suites;
  try {
    suites = selectSuites(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exit(2);
  }
  const reports = new URL('../tmp/test-reports', import.meta.url).pathname;
  process.exitCode = runAll(suites, { reports, ci: inCi(process.env) });
}
