#!/usr/bin/env node
// Runs every suite — type check, unit/integration/golden tests, browser e2e tests —
// and ends with one line `N passed, N failed` summing them all.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const reports = new URL('../tmp/test-reports/', import.meta.url).pathname;
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
let passed = 0;
let failed = 0;
const lines = [];

function run(cmd, args) {
  process.stdout.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } }).status;
}

function vitest(name, extra) {
  const out = `${reports}${name}.json`;
  const status = run('npx', [
    'vitest',
    'run',
    ...extra,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`
  ]);
  try {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    // A suite that crashed before its tests ran counts as one failure.
    const suiteErrors = r.testResults.filter(
      (f) => f.status === 'failed' && f.assertionResults.length === 0
    ).length;
    passed += r.numPassedTests;
    failed += r.numFailedTests + suiteErrors;
    lines.push(
      `${name}: ${r.numPassedTests} passed, ${r.numFailedTests + suiteErrors} failed, ${r.numPendingTests} skipped`
    );
  } catch {
    failed += 1;
    lines.push(`${name}: no report (exit ${status})`);
  }
}

const check = run('npm', ['run', '--silent', 'check']);
if (check === 0) passed += 1;
else failed += 1;
lines.push(`typecheck: ${check === 0 ? 'passed' : 'failed'}`);
vitest('unit', []);
vitest('e2e', ['--config', 'tests/e2e/vitest.config.ts']);

process.stdout.write(`\n${lines.join('\n')}\n${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
