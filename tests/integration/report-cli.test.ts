// twinbench report end to end: a small run of a shipped protocol written as one HTML file
// that needs nothing from elsewhere, whose primary estimates equal twinbench analyze's, and
// bad input (an unknown run or arm, an --out that is not .html) refused with exit 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/lib/analysis/compare-types';

const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
const PROTOCOL = new URL('../../protocols/antihypertensive-dose-ranging.yaml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'twinbench-report-'));
const DB = join(dir, 'runs.duckdb');
const OUT = join(dir, 'out', 'report.html');

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const run = twinbench('run', PROTOCOL, '--n', '60', '--db', DB, '--workers', '0');
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

describe('twinbench report', () => {
  it('writes one self-contained HTML file with the primary estimates of twinbench analyze', () => {
    const r = twinbench('report', DB, '--run', '1', '--out', OUT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('report of run 1 written');
    const html = readFileSync(OUT, 'utf8');
    // no temporary file is left beside it
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.html']);
    // nothing to fetch: no script, stylesheet, image or frame from anywhere
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b[^>]*href=["']?https?:/i);
    expect(html).not.toMatch(/<(img|iframe|source|video|audio)\b[^>]*src=["']?https?:/i);
    expect(html).not.toMatch(/url\(\s*["']?https?:/i);
    expect(html).not.toMatch(/https?:\/\//);

    const { document } = parseHTML(html);
    for (const id of ['summary', 'flow', 'table1', 'comparisons', 'protocol'])
      expect(document.getElementById(id), id).not.toBeNull();
    expect(document.querySelectorAll('#comparisons figure svg').length).toBeGreaterThanOrEqual(2);
    expect(document.querySelector('#summary')!.textContent).toContain('2027');
    expect(document.querySelector('#protocol pre')!.textContent).toContain('endpoints:');

    const a = twinbench(
      'analyze',
      DB,
      '--run',
      '1',
      '--control',
      'placebo',
      '--endpoint',
      'sbp_change_w12',
      '--type',
      'continuous',
      '--format',
      'json'
    );
    expect(a.code, a.stderr).toBe(0);
    const c = JSON.parse(a.stdout) as Comparison;
    const section = document.querySelector('section[data-endpoint="sbp_change_w12"]')!;
    const primaryRows = c.comparisons.filter((x) => x.method === c.primary);
    expect(primaryRows.length).toBe(3);
    for (const row of primaryRows) {
      const cell = section.querySelector(
        `tr[data-arm="${row.arm}"][data-method="${row.method}"] [data-field="estimate"]`
      )!;
      expect(Number(cell.getAttribute('data-value'))).toBe(row.estimate);
      expect(
        Number(
          section
            .querySelector(`tr[data-arm="${row.arm}"][data-method="${row.method}"] [data-field="p"]`)!
            .getAttribute('data-value')
        )
      ).toBe(row.pValue);
    }
  }, 120_000);

  it('refuses an unknown run, an unknown control arm and an --out that is not .html with exit 2', () => {
    const none = twinbench('report', DB, '--run', '9', '--out', join(dir, 'x.html'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('there is no run 9');
    const arm = twinbench('report', DB, '--run', '1', '--out', join(dir, 'x.html'), '--control', 'nope');
    expect(arm.code).toBe(2);
    expect(arm.stderr).toContain(
      "control 'nope' is not an arm of run 1: one of placebo, 2.5 mg, 5 mg, 10 mg"
    );
    const rep = twinbench('report', DB, '--run', '1', '--out', join(dir, 'x.html'), '--replicate', '3');
    expect(rep.code).toBe(2);
    expect(rep.stderr).toContain('replicate 3 is not in run 1');
    const out = twinbench('report', DB, '--run', '1', '--out', join(dir, 'x.pdf'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--out must name an .html file');
    const missing = twinbench(
      'report',
      join(dir, 'missing.duckdb'),
      '--run',
      '1',
      '--out',
      join(dir, 'x.html')
    );
    expect(missing.code).toBe(2);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  }, 120_000);
});
