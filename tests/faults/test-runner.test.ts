// `npm test` (tests/run-all.mjs) counts every outcome, fails on anything that went wrong
// outside a test, and prints its final line even when a suite crashes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalLine, inCi, tallyCommand, tallyTap, tallyVitest } from '../run-all-summary.mjs';
import { ROOT, tempDir } from './cli';

const FIXTURES = 'tests/faults/runner-fixtures/vitest.config.ts';
/** `node -e` code standing in for a TAP suite: writes its first argument to the --tap file, exits with the second. */
const TAP_WRITER =
  "const a = process.argv; require('fs').writeFileSync(a[a.indexOf('--tap') + 1], a[1]); process.exit(+a[2])";

/** Runs vitest on the fixture files matching `filters`, as run-all does; returns its report and exit status. */
function fixtureRun(...filters: string[]) {
  const out = join(tempDir('runner'), 'report.json');
  const r = spawnSync(
    'npx',
    ['vitest', 'run', '--config', FIXTURES, ...filters, '--reporter=json', `--outputFile=${out}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: childEnv()
    }
  );
  return { report: JSON.parse(readFileSync(out, 'utf8')), status: r.status };
}

/** The environment without this vitest's own variables, which would confuse a nested run. */
function childEnv(extra: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  return { ...env, FORCE_COLOR: '0', ...extra };
}

describe('counting a vitest suite', () => {
  it('sums passed, failed and skipped (skip, skipIf and todo), and a file that failed at import', () => {
    const { report, status } = fixtureRun('mixed', 'import-error');
    expect(status).toBe(1);
    const t = tallyVitest('fixtures', report, status);
    expect(t).toMatchObject({ passed: 1, failed: 2, skipped: 4 });
    expect(t.line).toBe(
      'fixtures: 1 passed, 2 failed, 4 skipped (1 test file(s) failed before their tests ran)'
    );
  });

  it('an unhandled rejection after passing tests is a failure, not "0 failed"', () => {
    const { report, status } = fixtureRun('unhandled');
    expect(report.numFailedTests).toBe(0);
    expect(status).toBe(1);
    const t = tallyVitest('fixtures', report, status);
    expect(t).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(t.line).toContain('exit 1 with no failed test: an error outside the tests');
  });

  it('no report (a crash, a config that does not load) is a failure', () => {
    expect(tallyVitest('e2e', undefined, 1)).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
      line: 'e2e: crashed, no report (exit 1)'
    });
    expect(tallyVitest('e2e', undefined, null).line).toBe('e2e: crashed, no report (killed by a signal)');
  });

  it('in CI a skipped browser test counts as failed, saying why', () => {
    const report = {
      testResults: [],
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 12,
      numTodoTests: 0
    };
    expect(tallyVitest('e2e', report, 0)).toMatchObject({ failed: 0, skipped: 12 });
    const ci = tallyVitest('e2e', report, 0, { skippedIsFailure: 'CI must run the browser tests' });
    expect(ci).toMatchObject({ passed: 0, failed: 12, skipped: 0 });
    expect(ci.line).toBe(
      'e2e: 0 passed, 12 failed, 0 skipped (12 skipped test(s) count as failed: CI must run the browser tests)'
    );
  });

  it('a command suite is one pass or one failure; the final line names all three counts', () => {
    expect(tallyCommand('typecheck', 0)).toEqual({
      passed: 1,
      failed: 0,
      skipped: 0,
      line: 'typecheck: passed'
    });
    expect(tallyCommand('typecheck', 2).line).toBe('typecheck: failed (exit 2)');
    expect(finalLine({ passed: 10, failed: 2, skipped: 3 })).toBe('10 passed, 2 failed, 3 skipped');
  });

  it('a TAP suite (the Slurm test) counts each check; a planned check that did not run is a failure', () => {
    const tap = ['1..4', 'ok 1 - the cluster starts', 'not ok 2 - the merged run has the same fingerprint'];
    const all = [...tap, 'ok 3 - the merge refuses', 'ok 4 - the re-run merges'].join('\n');
    expect(tallyTap('cluster', all, 1)).toEqual({
      passed: 3,
      failed: 1,
      skipped: 0,
      line: 'cluster: 3 passed, 1 failed, 0 skipped'
    });
    const stopped = tallyTap(
      'cluster',
      [...tap, 'Bail out! the jobs did not finish in 10 minutes'].join('\n'),
      1
    );
    expect(stopped).toMatchObject({ passed: 1, failed: 3, skipped: 0 });
    expect(stopped.line).toBe(
      'cluster: 1 passed, 3 failed, 0 skipped (2 of 4 checks did not run: the jobs did not finish in 10 minutes)'
    );
    // Every check passed yet the script failed (an error after its last check): not "0 failed".
    const after = tallyTap('cluster', all.replace('not ok 2', 'ok 2'), 1);
    expect(after).toMatchObject({ passed: 4, failed: 1 });
    expect(after.line).toContain('exit 1 with no failed check');
    // Unnumbered lines and no plan count too.
    expect(tallyTap('t', 'ok a\nnot ok b\n', 1)).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
  });

  it('a TAP suite that cannot run here is skipped with its reason, a failure in CI; no TAP at all is a crash', () => {
    const skip = '1..0 # SKIP not root: slurmd, slurmctld and munged are root daemons';
    expect(tallyTap('cluster', skip, 0)).toEqual({
      passed: 0,
      failed: 0,
      skipped: 1,
      line: 'cluster: skipped (not root: slurmd, slurmctld and munged are root daemons)'
    });
    expect(tallyTap('cluster', skip, 0, { skippedIsFailure: 'CI installs Slurm' })).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
      line: 'cluster: failed, could not run (not root: slurmd, slurmctld and munged are root daemons; CI installs Slurm)'
    });
    expect(tallyTap('cluster', undefined, 2)).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
      line: 'cluster: crashed, no TAP output (exit 2)'
    });
    expect(tallyTap('cluster', '', 0).line).toBe('cluster: crashed, no TAP output (exit 0)');
  });

  it('CI is on when the CI variable is set to anything but 0 or false', () => {
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({ CI: '0' })).toBe(false);
    expect(inCi({})).toBe(false);
  });
});

describe('run-all', () => {
  it('prints a line per suite and the total even when suites crash, and exits 1', () => {
    const suites = [
      { name: 'clean', vitest: ['--config', FIXTURES, 'passing'] },
      { name: 'broken config', vitest: ['--config', 'tests/faults/runner-fixtures/no-such.config.ts'] },
      { name: 'command', command: ['node', '-e', 'process.exit(3)'] },
      { name: 'not installed', command: ['no-such-command-twinbench'] },
      { name: 'browser', vitest: ['--config', FIXTURES, 'passing'], mustRunInCi: 'CI must run it' },
      // A TAP suite gets `--tap <file>` after its command, and writes its checks there.
      {
        name: 'tap',
        tap: ['node', '-e', TAP_WRITER, '--', '1..2\nok 1 - first\nnot ok 2 - second\n', '1']
      },
      { name: 'tap skipped', tap: ['node', '-e', TAP_WRITER, '--', '1..0 # SKIP no cluster\n', '0'] }
    ];
    const script = `import('./tests/run-all.mjs').then((m) => { process.exitCode = m.runAll(${JSON.stringify(
      suites
    )}, { reports: ${JSON.stringify(tempDir('reports'))}, ci: true }); })`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: childEnv()
    });
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(-8)).toEqual([
      'clean: 1 passed, 0 failed, 1 skipped',
      'broken config: crashed, no report (exit 1)',
      'command: failed (exit 3)',
      'not installed: could not run (spawnSync no-such-command-twinbench ENOENT)',
      'browser: 1 passed, 1 failed, 0 skipped (1 skipped test(s) count as failed: CI must run it)',
      'tap: 1 passed, 1 failed, 0 skipped',
      'tap skipped: skipped (no cluster)',
      '3 passed, 5 failed, 2 skipped'
    ]);
    expect(r.status).toBe(1);
  });

  it('runs the suites named on its command line, and names the suites when one is unknown', () => {
    const run = (...names: string[]) =>
      spawnSync(process.execPath, ['tests/run-all.mjs', ...names], {
        cwd: ROOT,
        encoding: 'utf8',
        env: childEnv()
      });
    const r = run('typecheck', 'no-such-suite');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "unknown suite 'no-such-suite' (allowed: typecheck, unit, e2e, cluster; none runs them all)"
    );
    expect(r.stdout).toBe('');
  });

  it('npm test runs the fault suite: tests/faults is part of the unit run', () => {
    const r = spawnSync('npx', ['vitest', 'list', '--filesOnly'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: childEnv()
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tests/faults/test-runner.test.ts');
    expect(r.stdout).not.toContain('.fixture.ts');
  });
});
