// Runs the twinbench CLI as a user would, for the fault-injection suite.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
export const ROOT = new URL('../../', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh temporary folder for one test file. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `twinbench-${prefix}-`));
}

/** Runs `twinbench …` to completion (from the repository root). */
export function twinbench(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env }
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `twinbench …`, sends `signals` (in order, `gapMs` apart) once its stderr or
 * stdout matches `when`, and resolves with how it ended.
 */
export function twinbenchInterrupted(
  args: string[],
  when: RegExp,
  signals: NodeJS.Signals[],
  options: { gapMs?: number; env?: Record<string, string>; timeoutMs?: number } = {}
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env }
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`twinbench ${args.join(' ')} did not end; stderr: ${stderr}`));
    }, options.timeoutMs ?? 120_000);
    const check = () => {
      if (sent || !when.test(stdout + stderr)) return;
      sent = true;
      signals.forEach((s, i) => setTimeout(() => child.kill(s), i * (options.gapMs ?? 200)));
    };
    child.stdout.on('data', (d) => ((stdout += d), check()));
    child.stderr.on('data', (d) => ((stderr += d), check()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs `twinbench …` with the files it may write limited to `kib` KiB (`ulimit -f`): a
 * write beyond it fails with EFBIG, as on a full disk (Node ignores SIGXFSZ). Use
 * --workers 0, so no worker bundle needs writing.
 */
export function twinbenchWithFileLimit(args: string[], kib: number): CliResult {
  const r = spawnSync('sh', ['-c', `ulimit -f ${kib * 2}; exec "$0" "$@"`, process.execPath, CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
