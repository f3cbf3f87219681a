/**
 * `twinbench model import` and `model simulate` on mrgsolve/rxode2 files as a user runs
 * them: exit 0 with the translation, or exit 2 with one `file:line:col: message` line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, twinbench } from '../../faults/cli';

const dir = tempDir('model-import');
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const model = '$PARAM K = 0.5\n$CMT A\n$ODE\ndxdt_A = -K * A;\n';

describe('twinbench model import', () => {
  it('prints the translation, and --from reads a file of any name', () => {
    const r = twinbench(['model', 'import', '--from', 'mrgsolve', write('decay.txt', model)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('d/dt(A) = -K * A');
    expect(r.stderr).toBe('');
  });

  it('a refused construct: exit 2, its line, nothing on stdout', () => {
    const file = write('loop.cpp', '$PARAM K = 0.5\n$CMT A\n$ODE\n  while (A > 1) {}\ndxdt_A = -K * A;\n');
    const r = twinbench(['model', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:4:3: mrgsolve construct 'while' is not supported\n`);
    const s = twinbench(['model', 'simulate', file, '--dose', '1@0']);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe(`${file}:4:3: mrgsolve construct 'while' is not supported\n`);
  });

  it('an unknown tool or extension, and a missing file', () => {
    const bad = twinbench(['model', 'import', '--from', 'nonmem', write('a.cpp', model)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--from must be mrgsolve or rxode2, not 'nonmem'");
    const unknown = twinbench(['model', 'import', write('a.txt', model)]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'not an mrgsolve (.cpp, .mod) or rxode2 (.R, .rxode) file; say which with --from'
    );
    const missing = twinbench(['model', 'import', join(dir, 'none.R')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('none.R: no such file');
  });

  it('model check reads an imported file too', () => {
    const r = twinbench(['model', 'check', write('decay.mod', model)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('states (1): A');
  });
});
