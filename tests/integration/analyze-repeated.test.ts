// twinbench analyze --type repeated on the MMRM datasets (tests/golden/mmrm): the MMRM's effects
// equal R nlme::gls's (mmrm-expected.json), the single-visit analyses R lm's
// (repeated-analyze.R → repeated-analyze.json); multiple imputation is reproducible by its seed;
// bad input exits 2 with a message naming the column, row, visit or arm.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPEATED_METHODS } from '../../src/lib/analysis/repeated-analysis';
import type { RepeatedFileAnalysis } from '../../src/lib/analysis/repeated-file';
import { expectClose, loadGolden } from '../unit/stats/golden';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'src/cli/twinbench.js');
const GOLDEN = join(ROOT, 'tests/golden/mmrm');
const mmrmGolden = loadGolden('mmrm-expected', 'mmrm');
const lmGolden = loadGolden('repeated-analyze', 'mmrm');
const dir = mkdtempSync(join(tmpdir(), 'twinbench-repeated-'));

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'analyze', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const columns = ['--type', 'repeated', '--arm', 'arm', '--endpoint', 'y', '--id', 'id', '--visit', 'visit'];

function json(file: string, ...args: string[]): RepeatedFileAnalysis {
  const r = twinbench(file, ...columns, ...args, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RepeatedFileAnalysis;
}

interface GoldenEffect {
  arm: string;
  visit: string;
  estimate: number;
  stdErr: number;
  satterthwaiteDf: number;
}

function expectMmrm(r: RepeatedFileAnalysis, name: string, visit: string) {
  const want = mmrmGolden.cases.find((c: { name: string }) => c.name === name).fits.unstructured
    .effects as GoldenEffect[];
  const mmrm = r.analyses.mmrm!;
  expect(mmrm.label).toBe('MMRM (unstructured, REML, Satterthwaite df)');
  expect(mmrm.covariance).toBe('unstructured');
  const atVisit = want.filter((e) => e.visit === visit);
  expect(mmrm.effects.map((e) => e.arm).sort()).toEqual(atVisit.map((e) => e.arm).sort());
  for (const e of atVisit) {
    const got = mmrm.effects.find((x) => x.arm === e.arm)!;
    // the MMRM unit test's tolerances (tests/unit/stats/mmrm.test.ts)
    expectClose(got.estimate, e.estimate, 1e-5, 1e-5 * e.stdErr, `${name} ${e.arm} estimate`);
    expectClose(got.stdErr, e.stdErr, 1e-5, 0, `${name} ${e.arm} SE`);
    expectClose(got.df, e.satterthwaiteDf, 1e-3, 0, `${name} ${e.arm} df`);
  }
}

type Row = {
  arm: string;
  estimate: number;
  stdErr: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
  df: number;
};

function expectLm(
  r: RepeatedFileAnalysis,
  method: 'ancova' | 'ancova_pairwise' | 'locf' | 'bocf' | 'completers',
  want: Row[]
) {
  const got = r.analyses[method]!;
  expect(got.note).toBeNull();
  for (const w of want) {
    const e = got.effects.find((x) => x.arm === w.arm)!;
    for (const k of ['estimate', 'stdErr', 'pValue', 'ciLow', 'ciHigh', 'df'] as const)
      expectClose(e[k], w[k], 1e-8, 1e-12, `${method} ${w.arm} ${k}`);
  }
}

describe('twinbench analyze --type repeated', () => {
  it('two arms, 4 visits: every analysis at the last visit; MMRM as nlme, single-visit analyses as lm', () => {
    const r = json(join(GOLDEN, 'two-arms-4-visits.csv'), '--control', 'placebo', '--baseline', 'baseline');
    expect(r.at).toBe('week16');
    expect(r.visits).toEqual(['week4', 'week8', 'week12', 'week16']);
    expect(Object.keys(r.analyses)).toEqual(REPEATED_METHODS);
    expectMmrm(r, 'two-arms-4-visits', 'week16');
    const g = lmGolden.cases[0];
    expectLm(r, 'ancova', g.ancova);
    expectLm(r, 'completers', g.ancova);
    expectLm(r, 'ancova_pairwise', g.ancova_pairwise);
    expectLm(r, 'locf', g.locf);
    expectLm(r, 'bocf', g.bocf);
    expect(r.analyses.mi_mar!.label).toBe("Multiple imputation under MAR (20 imputations, Rubin's rules)");
    expect(r.analyses.mi_j2r!.label).toBe("Jump to reference (20 imputations, Rubin's rules)");
    for (const m of ['mi_mar', 'mi_j2r', 'mi_cr', 'mi_cir'] as const) {
      const e = r.analyses[m]!.effects[0];
      expect(e.estimate).not.toBeNull();
      expect(e.ciLow!).toBeLessThan(e.estimate!);
      expect(e.pValue!).toBeGreaterThan(0);
    }
    // J2R gives the active arm's dropouts the reference's mean: its effect shrinks towards 0
    expect(r.analyses.mi_j2r!.effects[0].estimate!).toBeGreaterThan(r.analyses.mi_mar!.effects[0].estimate!);
    const t = r.analyses.tipping_point!.tipping![0];
    expect(t.arm).toBe('active');
    expect(t.shifted).toBe(12); // active subjects missing at week16: 60 − 48
    expect(t.tippingDelta).not.toBeNull();
    expect(r.counts).toEqual([
      { arm: 'placebo', subjects: 60, observed: [60, 53, 44, 40] },
      { arm: 'active', subjects: 60, observed: [60, 53, 48, 48] }
    ]);
  });

  it('--at an earlier visit, --analyses, --imputations and --seed', () => {
    const file = join(GOLDEN, 'two-arms-4-visits.csv');
    const args = ['--control', 'placebo', '--baseline', 'baseline', '--at', 'week8'];
    const a = json(file, ...args, '--analyses', 'mmrm,mi_mar', '--imputations', '10', '--seed', '7');
    expect(Object.keys(a.analyses)).toEqual(['mmrm', 'mi_mar']);
    expect(a.at).toBe('week8');
    expectMmrm(a, 'two-arms-4-visits', 'week8');
    expect(a.analyses.mi_mar!.label).toContain('10 imputations');
    const same = json(file, ...args, '--analyses', 'mi_mar', '--imputations', '10', '--seed', '7');
    expect(same.analyses.mi_mar).toEqual(a.analyses.mi_mar);
    const other = json(file, ...args, '--analyses', 'mi_mar', '--imputations', '10', '--seed', '8');
    expect(other.analyses.mi_mar!.effects[0].estimate).not.toBe(a.analyses.mi_mar!.effects[0].estimate);
  });

  it('three arms: each active arm by every method, pairwise ANCOVA on its pair only', () => {
    const r = json(join(GOLDEN, 'three-arms-5-visits.csv'), '--control', 'control', '--baseline', 'baseline');
    expectMmrm(r, 'three-arms-5-visits', r.at);
    const g = lmGolden.cases[1];
    expect(r.at).toBe(g.at);
    expectLm(r, 'ancova', g.ancova);
    expectLm(r, 'ancova_pairwise', g.ancova_pairwise);
    expectLm(r, 'locf', g.locf);
    expect(r.analyses.tipping_point!.tipping!.map((t) => t.arm)).toEqual(['high', 'low']);
  });

  it('no baseline: the MMRM as nlme; ANCOVA and BOCF say why they have no values', () => {
    const r = json(join(GOLDEN, 'no-baseline-6-visits.csv'), '--control', 'placebo');
    expectMmrm(r, 'no-baseline-6-visits', r.at);
    expect(r.analyses.ancova!.note).toMatch(/needs a baseline/);
    expect(r.analyses.ancova!.effects[0].estimate).toBeNull();
    expect(r.analyses.bocf!.note).toMatch(/BOCF needs a baseline/);
    expect(r.analyses.mi_mar!.effects[0].estimate).not.toBeNull();
  });

  it('the table names each method in words and its JSON field', () => {
    const r = twinbench(
      join(GOLDEN, 'two-arms-4-visits.csv'),
      ...columns,
      '--control',
      'placebo',
      '--baseline',
      'baseline',
      '--analyses',
      'mmrm,mi_j2r,locf'
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('MMRM (unstructured, REML, Satterthwaite df)');
    expect(r.stdout).toContain("Jump to reference (20 imputations, Rubin's rules)");
    expect(r.stdout).toContain('LOCF (legacy single imputation)');
    expect(r.stdout).not.toContain('NaN');
  });
});

describe('twinbench analyze --type repeated: bad input exits 2 naming what is wrong', () => {
  const lines = readFileSync(join(GOLDEN, 'two-arms-4-visits.csv'), 'utf8').trimEnd().split('\n');
  const write = (name: string, rows: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, rows.join('\n') + '\n');
    return path;
  };
  const bad = (file: string, extra: string[], message: RegExp) => {
    const r = twinbench(file, ...columns, '--control', 'placebo', '--baseline', 'baseline', ...extra);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  };
  const good = join(GOLDEN, 'two-arms-4-visits.csv');

  it('a column the file lacks, a control or visit that is not a level', () => {
    bad(
      good,
      ['--id', 'subject'],
      /--id: .* has no column 'subject' \(columns: id, arm, visit, baseline, y\)/
    );
    const r = twinbench(good, ...columns, '--control', 'plac');
    expect(r.stderr).toMatch(/control "plac" is not an arm level; arms are active, placebo/);
    expect(r.code).toBe(2);
    bad(
      good,
      ['--at', 'week20'],
      /at "week20" is not a visit level; levels are week4, week8, week12, week16/
    );
  });

  it('text in the outcome, an empty visit, a subject in two arms or twice at a visit', () => {
    const text = [...lines];
    text[5] = text[5].replace(/,[^,]*$/, ',"high"');
    bad(
      write('text.csv', text),
      [],
      /column 'y' holds 'high' at row 5 \(line 6\), which is not a finite number/
    );
    const noVisit = [...lines];
    noVisit[3] = noVisit[3].replace('"week12"', '""');
    bad(write('no-visit.csv', noVisit), [], /column 'visit' is empty at row 3 \(line 4\)/);
    const twoArms = [...lines];
    twoArms[2] = twoArms[2].replace('"placebo"', '"active"');
    bad(write('two-arms.csv', twoArms), [], /subject 'S001' .* is in arm 'active' and in arm 'placebo'/);
    const twice = [...lines, lines[1]];
    bad(
      write('twice.csv', twice),
      [],
      /subject 'S001' has two rows at visit 'week4' .*row 1 \(line 2\) and row 407 \(line 408\)/
    );
    const baselines = [...lines];
    baselines[2] = baselines[2].replace('151.928', '150');
    bad(
      write('baselines.csv', baselines),
      [],
      /subject 'S001' has two baselines in column 'baseline', 150 and 151.928/
    );
  });

  it('a visit with no observed value in an arm', () => {
    const rows = lines.filter((l) => !(l.includes('"active"') && l.includes('"week12"')));
    bad(
      write('empty-visit.csv', rows),
      [],
      /visit "week12" has no observed value in arm "active" \(60 subjects\)/
    );
  });

  it('options of the repeated type are checked', () => {
    const r = twinbench(
      good,
      '--type',
      'repeated',
      '--arm',
      'arm',
      '--endpoint',
      'y',
      '--control',
      'placebo'
    );
    expect(r.stderr).toMatch(/--type repeated needs --id <column>, --visit <column>/);
    expect(r.code).toBe(2);
    const m = twinbench(good, ...columns, '--control', 'placebo', '--analyses', 'mmrm,mice');
    expect(m.stderr).toMatch(/'mice' is not an analysis; choose from mmrm, ancova/);
    expect(m.code).toBe(2);
    const c = twinbench(
      good,
      '--type',
      'continuous',
      '--arm',
      'arm',
      '--endpoint',
      'y',
      '--control',
      'placebo',
      '--visit',
      'visit'
    );
    expect(c.stderr).toMatch(/--visit applies to --type repeated only/);
    expect(c.code).toBe(2);
  });
});
