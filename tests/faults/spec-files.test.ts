import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ISSUES, MAX_SPEC_BYTES } from '../../src/lib/spec/limits';
import { tempDir, twinbench } from './cli';

/**
 * Spec files that are not what they seem: an alias bomb, a missing file, a directory,
 * an unreadable or huge file, and a file with a huge number of unknown keys. Each ends
 * with exit 2 and a short message naming the file, never a raw ENOENT/EISDIR or a hang.
 */

const dir = tempDir('spec-files');
const COHORT = `name: small
n: 20
covariates:
  - { name: weight, type: continuous, distribution: { kind: normal, mean: 70, sd: 10 } }
`;
const cohortFile = join(dir, 'cohort.yaml');
writeFileSync(cohortFile, COHORT);

/** Nine levels of nine aliases each: 9^9 = 387 million nodes once expanded. */
function aliasBomb(): string {
  const lines = ['name: bomb', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let k = 1; k <= 9; k++)
    lines.push(
      `a${k}: &a${k} [${Array(9)
        .fill(`*a${k - 1}`)
        .join(', ')}]`
    );
  return lines.join('\n') + '\n';
}

/** The stderr lines a failed command printed (each problem is one line). */
const errorLines = (stderr: string) => stderr.trimEnd().split('\n');

describe('spec files that cannot be read', () => {
  it('a YAML alias bomb is refused with one line, exit 2, for validate and cohort', () => {
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, aliasBomb());
    for (const args of [
      ['validate', file],
      ['cohort', file]
    ]) {
      const r = twinbench(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/bomb\.yaml.*aliases/);
      expect(errorLines(r.stderr)).toHaveLength(1);
    }
  });

  it('a missing file names the file', () => {
    const missing = join(dir, 'nope.yaml');
    for (const cmd of ['validate', 'cohort', 'run']) {
      const r = twinbench([cmd, missing]);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`error: ${missing}: no such file`);
      expect(r.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/);
    }
  });

  it('a directory is not a spec file', () => {
    const sub = join(dir, 'folder.yaml');
    mkdirSync(sub, { recursive: true });
    const r = twinbench(['validate', sub]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error: ${sub}: is a directory, not a file`);
    expect(r.stderr).not.toMatch(/EISDIR/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file says so', () => {
    const file = join(dir, 'locked.yaml');
    writeFileSync(file, COHORT);
    chmodSync(file, 0o000);
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error: ${file}: permission denied`);
  });

  it("a protocol's missing cohort file is reported at cohort.file with its line", () => {
    const file = join(dir, 'protocol-missing-cohort.yaml');
    writeFileSync(
      file,
      `name: p
cohort:
  file: missing-cohort.yaml
model: { model: pk1cmt_oral }
arms: [{ name: a, regimen: { dose: 1 } }]
schedule: { duration: 24h, visits: [0, 24h] }
endpoints: [{ name: auc, type: pk, metric: auc }]
`
    );
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`line 3: cohort.file: cannot read 'missing-cohort.yaml': no such file`);
  });

  it('a file above the size limit is refused before it is parsed, naming the size and the limit', () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, COHORT + `description: "${'x'.repeat(MAX_SPEC_BYTES)}"\n`);
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /huge\.yaml: the spec is 1,000,\d{3} bytes; a spec may be at most 1 MB \(1,000,000 bytes\)\n$/
    );
  });
});

describe('spec files with very many problems', () => {
  it('150,000 unknown keys: linear time, and at most a handful of keys named', () => {
    // Four-letter keys without values keep the file under the size limit (6 bytes a line).
    const letters = (i: number) =>
      Array.from({ length: 4 }, (_, k) =>
        String.fromCharCode(97 + (Math.floor(i / 26 ** (3 - k)) % 26))
      ).join('');
    const keys = Array.from({ length: 150_003 }, (_, i) => letters(i))
      .filter((k) => !['arms', 'null', 'true'].includes(k)) // a protocol's key, YAML words
      .map((k) => `${k}:`);
    const file = join(dir, 'keys.yaml');
    writeFileSync(file, COHORT + keys.join('\n') + '\n');
    const started = performance.now();
    const r = twinbench(['validate', file]);
    const seconds = (performance.now() - started) / 1000;
    expect(r.code, r.stderr.slice(0, 500)).toBe(2);
    // a hang check with room for a loaded machine: it took over 10 minutes before
    expect(seconds).toBeLessThan(20);
    expect(r.stderr).toMatch(/unknown field\(s\) 'aaaa', 'aaab', .* and 1499\d\d more; allowed: name,/);
    expect(r.stderr.length).toBeLessThan(2000);
  });

  it('30 bad covariates: the first 20 problems and a count of the rest', () => {
    const covariates = Array.from(
      { length: 30 },
      (_, i) => `  - { name: x${i}, type: continuous, distribution: { kind: normal, mean: 0, sd: -1 } }`
    );
    const file = join(dir, 'many.yaml');
    writeFileSync(file, `name: many\ncovariates:\n${covariates.join('\n')}\n`);
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(lines[0]).toMatch(/line 3: covariates\[0\]\.distribution\.sd: must be greater than 0/);
    expect(lines.at(-1)).toBe(`… and ${30 - MAX_REPORTED_ISSUES} more problems`);
  });

  it('a valid spec still validates (and a next command succeeds)', () => {
    const r = twinbench(['validate', cohortFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('valid cohort spec');
  });
});
