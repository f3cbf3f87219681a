// twinbench analyze with the effect measures of issue 13, against R
// (tests/golden/effects/effects-golden.R → effects.json, three-arms.csv): ANCOVA with all arms
// (`ancova`) beside the pairwise fit (`ancova_pairwise`), Hodges–Lehmann (`hodges_lehmann`), the
// geometric mean ratio (`gmr`, --exposure) and target attainment (--target); on a run of the
// shipped 2×2 factorial protocol, ANCOVA on the first visit's value and the interaction test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, ComparisonRow } from '../../src/lib/analysis/compare';
import { rowsOf } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { ancovaAllArms, factorialInteraction } from '../../src/lib/stats';
import { expectClose, loadGolden } from '../unit/stats/golden';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'src/cli/twinbench.js');
const CSV = join(ROOT, 'tests/golden/effects/three-arms.csv');
const g = loadGolden('effects', 'effects').file;
const dir = mkdtempSync(join(tmpdir(), 'twinbench-effects-'));
const DB = join(dir, 'factorial.duckdb');

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]): Comparison {
  const r = twinbench('analyze', ...args, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Comparison;
}

function row(c: Comparison, arm: string, method: string): ComparisonRow {
  const r = c.comparisons.find((x) => x.arm === arm && x.method === method);
  expect(r, `${arm} ${method}`).toBeDefined();
  return r!;
}

function expectRow(got: ComparisonRow, want: Record<string, number>, what: string) {
  for (const [k, v] of Object.entries(want)) {
    if (k === 'arm') continue;
    expectClose(got[k as keyof ComparisonRow] as number | null, v, 1e-8, 1e-10, `${what} ${k}`);
  }
}

const file = ['--arm', 'arm', '--control', 'placebo', '--type', 'continuous'];

describe('twinbench analyze: effect measures on a data file, vs R', () => {
  it('ancova (all arms) beside ancova_pairwise, and hodges_lehmann', () => {
    const c = json(CSV, ...file, '--endpoint', 'y', '--baseline', 'base');
    expect(c.primary).toBe('ancova');
    expect(c.baseline).toBe('base');
    for (const a of g.ancova) expectRow(row(c, a.arm, 'ancova'), a, `${a.arm} ancova`);
    for (const p of g.pairs) {
      expectRow(row(c, p.arm, 'ancova_pairwise'), p.ancova_pairwise, `${p.arm} ancova_pairwise`);
      expectRow(row(c, p.arm, 'hodges_lehmann'), p.hodges_lehmann, `${p.arm} hodges_lehmann`);
    }
    // Holm across the two arms applies to the all-arms rows
    expect(c.comparisons.filter((r) => r.pAdjusted !== null).map((r) => r.method)).toEqual([
      'ancova',
      'ancova'
    ]);
    const pairwise = json(
      CSV,
      ...file,
      '--endpoint',
      'y',
      '--baseline',
      'base',
      '--primary',
      'ancova_pairwise'
    );
    expect(pairwise.comparisons.filter((r) => r.pAdjusted !== null).map((r) => r.method)).toEqual([
      'ancova_pairwise',
      'ancova_pairwise'
    ]);
  });

  it('gmr with --exposure (90 % CI) and target attainment with --target', () => {
    const c = json(CSV, ...file, '--endpoint', 'auc', '--exposure', '--target', '400:600');
    for (const p of g.pairs) expectRow(row(c, p.arm, 'gmr'), p.gmr, `${p.arm} gmr`);
    expect(c.targetAttainment!.low).toBe(400);
    expect(c.targetAttainment!.high).toBe(600);
    for (const t of g.target) {
      const got = c.targetAttainment!.arms.find((a) => a.arm === t.arm)!;
      expect([got.attained, got.n]).toEqual([t.attained, t.n]);
      expectClose(got.ciLow, t.ciLow, 1e-10, 0, `${t.arm} PTA low`);
      expectClose(got.ciHigh, t.ciHigh, 1e-10, 0, `${t.arm} PTA high`);
    }
    // without --exposure there is no gmr row; open windows are null in JSON
    const plain = json(CSV, ...file, '--endpoint', 'auc', '--target', '500:');
    expect(plain.comparisons.some((r) => r.method === 'gmr')).toBe(false);
    expect([plain.targetAttainment!.low, plain.targetAttainment!.high]).toEqual([500, null]);
  });

  it('refuses non-positive exposures with how many, and a bad window', () => {
    const path = join(dir, 'bad-auc.csv');
    writeFileSync(path, 'arm,auc\nP,1\nP,2\nP,0\nA,3\nA,-1\nA,4\n');
    const c = json(
      path,
      '--arm',
      'arm',
      '--control',
      'P',
      '--type',
      'continuous',
      '--endpoint',
      'auc',
      '--exposure'
    );
    expect(row(c, 'A', 'gmr').estimate).toBeNull();
    expect(row(c, 'A', 'gmr').note).toMatch(
      /needs positive values: 1 of 3 arm values is not a positive number/
    );
    const bad = twinbench('analyze', CSV, ...file, '--endpoint', 'auc', '--target', '600:400');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--target must be low:high with numbers low ≤ high.*got '600:400'/);
    const binary = twinbench(
      'analyze',
      CSV,
      '--arm',
      'arm',
      '--control',
      'placebo',
      '--type',
      'binary',
      '--endpoint',
      'y',
      '--exposure'
    );
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/--exposure applies to --type continuous only/);
  });
});

describe('twinbench analyze on a run of the 2×2 factorial protocol', () => {
  beforeAll(() => {
    const r = twinbench(
      'run',
      join(ROOT, 'protocols/antihypertensive-combination.yaml'),
      '--n',
      '48',
      '--db',
      DB
    );
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('adjusts for the first visit and tests the interaction, as the stats functions on the stored rows', async () => {
    const args = [DB, '--endpoint', 'sbp_change_w8', '--type', 'continuous', '--control', 'placebo'];
    const c = json(...args);
    expect(c.primary).toBe('ancova');
    expect(c.baseline).toBe('E at 0 h');
    // the same numbers from the stored rows: the endpoint and E observed at 0 h
    const db = await NodeConnector.open(DB);
    let rows: { arm: string; y: number; b: number }[];
    try {
      rows = rowsOf(
        await db.query(
          `SELECT CAST(e.arm AS VARCHAR) AS arm, e.value AS y, o.value AS b FROM endpoint e ` +
            `JOIN observation o ON o.twin_id = e.twin_id AND o.arm = e.arm AND o.variable = 'E' AND o.time_h = 0 ` +
            `WHERE e.endpoint = 'sbp_change_w8' ORDER BY e.twin_id`
        )
      );
    } finally {
      await db.close();
    }
    const arms = ['placebo', 'CCB 5 mg', 'thiazide 25 mg', 'CCB + thiazide'];
    expect(rows.length).toBe(48);
    const fit = ancovaAllArms({
      outcome: rows.map((r) => r.y),
      arm: rows.map((r) => arms.indexOf(r.arm)),
      baseline: rows.map((r) => r.b)
    });
    for (const e of fit.effects) {
      const got = row(c, arms[e.arm], 'ancova');
      expectClose(got.estimate, e.estimate, 1e-10, 1e-12, 'ancova estimate');
      expectClose(got.pValue, e.pValue, 1e-8, 1e-15, 'ancova p');
      expect(got.df).toBe(48 - 5);
    }
    const f = factorialInteraction({
      outcome: rows.map((r) => r.y),
      a: rows.map((r) => (r.arm.startsWith('CCB') ? 1 : 0)),
      b: rows.map((r) => (r.arm.includes('thiazide') ? 1 : 0))
    });
    expect(c.factorial!.factorB).toBe('thiazide');
    expect(c.factorial!.cells.map((x) => [x.arm, x.a, x.b])).toEqual([
      ['placebo', 0, 0],
      ['CCB 5 mg', 1, 0],
      ['thiazide 25 mg', 0, 1],
      ['CCB + thiazide', 1, 1]
    ]);
    expectClose(c.factorial!.estimate, f.estimate, 1e-10, 1e-12, 'interaction');
    expectClose(c.factorial!.pValue, f.pValue, 1e-8, 0, 'interaction p');

    // opting out of the baseline visit: no ANCOVA, Welch primary
    const plain = json(...args, '--no-baseline-visit');
    expect(plain.primary).toBe('welch_t');
    expect(plain.baseline).toBeNull();
    expect(plain.comparisons.some((r) => r.method.startsWith('ancova'))).toBe(false);
  });
});
