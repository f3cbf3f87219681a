// twinbench analyze end to end: run databases (latest complete run, --run, refusal of
// incomplete runs, replicates, counterfactual runs), the same numbers from a run and from a CSV,
// and every kind of bad input exiting 2 with a message that names the problem.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, analyzeFile, type ContinuousArmSummary } from '../../src/lib/analysis/compare';
import { NodeConnector } from '../../src/lib/db/node-connector';

const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'twinbench-analyze-'));
const DB = join(dir, 'runs.duckdb');

function twinbench(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'analyze', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text.trim() + '\n');
  return path;
}

// deterministic small trial: arms A (control), B, C; 8 twins each
const ARMS = ['A', 'B', 'C'];
const rows = ARMS.flatMap((arm, k) =>
  Array.from({ length: 8 }, (_, i) => {
    const twin = k * 8 + i + 1;
    const sbp = 140 - 4 * k + ((twin * 7) % 11) - 5;
    const resp = (twin * 5 + k) % 3 === 0 ? 1 : 0;
    const pfs = 30 + ((twin * 13) % 50) + 10 * k;
    const censored = twin % 4 === 0 ? 1 : 0;
    return { twin, arm, sbp, base: 150 + ((twin * 3) % 7), resp, pfs, censored };
  })
);

beforeAll(async () => {
  const db = await NodeConnector.open(DB);
  await db.exec(
    `CREATE TABLE run (run_id VARCHAR, status VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP)`
  );
  await db.exec(`INSERT INTO run VALUES
    ('r1', 'complete', '2024-01-01', '2024-01-02'),
    ('r2', 'complete', '2024-02-01', '2024-02-02'),
    ('r3', 'running', '2024-03-01', NULL),
    ('r4', 'complete', '2024-01-15', '2024-01-16'),
    ('r5', 'failed', '2024-01-20', '2024-01-21')`);
  await db.exec(`CREATE TABLE endpoint (run_id VARCHAR, replicate INTEGER, twin_id INTEGER, arm VARCHAR,
    endpoint VARCHAR, value DOUBLE, censored INTEGER)`);
  await db.exec(
    `CREATE TABLE assignment (run_id VARCHAR, replicate INTEGER, twin_id INTEGER, arm VARCHAR, stratum VARCHAR)`
  );
  const values: string[] = [];
  for (const r of rows) {
    for (const run of ['r1', 'r2', 'r3']) {
      const shift = run === 'r1' ? 100 : 0; // r1 differs so "latest complete" is visible
      values.push(`('${run}', 1, ${r.twin}, '${r.arm}', 'sbp', ${r.sbp + shift}, NULL)`);
      values.push(`('${run}', 1, ${r.twin}, '${r.arm}', 'sbp_base', ${r.base}, NULL)`);
      values.push(`('${run}', 1, ${r.twin}, '${r.arm}', 'resp', ${r.resp}, NULL)`);
      values.push(`('${run}', 1, ${r.twin}, '${r.arm}', 'pfs', ${r.pfs}, ${r.censored})`);
    }
    // r4: two replicates
    for (const rep of [1, 2])
      values.push(`('r4', ${rep}, ${r.twin}, '${r.arm}', 'sbp', ${r.sbp + rep}, NULL)`);
  }
  // r5 … and a counterfactual run r6: every twin under every arm, observed in one (assignment)
  await db.exec(`INSERT INTO run VALUES ('r6', 'complete', '2023-12-01', '2023-12-02')`);
  for (const r of rows) {
    for (const [k, arm] of ARMS.entries()) {
      values.push(
        `('r6', 1, ${r.twin}, '${arm}', 'sbp', ${r.sbp + 4 * (ARMS.indexOf(r.arm) - k) - 3 * k}, NULL)`
      );
    }
  }
  await db.exec(`INSERT INTO endpoint VALUES ${values.join(',\n')}`);
  await db.exec(
    `INSERT INTO assignment VALUES ${rows.map((r) => `('r6', 1, ${r.twin}, '${r.arm}', NULL)`).join(', ')}`
  );
  await db.close();
  csv(
    'trial.csv',
    [
      'twin_id,arm,sbp,base,resp,pfs,event',
      ...rows.map((r) => [r.twin, r.arm, r.sbp, r.base, r.resp, r.pfs, 1 - r.censored].join(','))
    ].join('\n')
  );
});

describe('twinbench analyze on a run database', () => {
  it('uses the latest complete run and gives the same numbers as the same data in a CSV', async () => {
    const db = await NodeConnector.open(DB);
    const mem = await NodeConnector.open();
    try {
      const fromRun = await analyze(
        { db, path: DB },
        { name: 'sbp', type: 'continuous', baseline: 'sbp_base' },
        { control: 'A' }
      );
      expect(fromRun.source).toEqual({ kind: 'run', path: DB, runId: 'r2', replicate: 1 });
      const fromCsv = await analyzeFile(
        mem,
        join(dir, 'trial.csv'),
        'continuous',
        { arm: 'arm', endpoint: 'sbp', baseline: 'base' },
        { control: 'A' }
      );
      expect(fromRun.primary).toBe('ancova');
      expect(fromRun.comparisons).toEqual(fromCsv.comparisons);
      expect(fromRun.arms).toEqual(fromCsv.arms);
      expect(fromRun.counterfactual).toBeNull();
      // tte from value + censored equals time + event columns
      const tteRun = await analyze({ db, path: DB }, { name: 'pfs', type: 'tte' }, { control: 'A' });
      const tteCsv = await analyzeFile(
        mem,
        join(dir, 'trial.csv'),
        'tte',
        { arm: 'arm', endpoint: 'pfs', time: 'pfs', event: 'event' },
        { control: 'A' }
      );
      expect(tteRun.comparisons).toEqual(tteCsv.comparisons);
      expect(tteRun.comparisons.filter((r) => r.method === 'km_median')).toHaveLength(3);
    } finally {
      await db.close();
      await mem.close();
    }
  });

  it('selects a run with --run, refuses incomplete runs and asks for a replicate', () => {
    const r1 = twinbench(
      DB,
      '--control',
      'A',
      '--endpoint',
      'sbp',
      '--type',
      'continuous',
      '--run',
      'r1',
      '--format',
      'json'
    );
    expect(r1.code).toBe(0);
    const j = JSON.parse(r1.stdout);
    expect(j.source.runId).toBe('r1');
    expect((j.arms[0] as ContinuousArmSummary).mean).toBeGreaterThan(200);
    for (const [run, status] of [
      ['r3', 'running'],
      ['r5', 'failed']
    ]) {
      const r = twinbench(DB, '--control', 'A', '--endpoint', 'sbp', '--type', 'continuous', '--run', run);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`run '${run}' has status '${status}'; only complete runs are analysed`);
    }
    const none = twinbench(DB, '--control', 'A', '--endpoint', 'sbp', '--type', 'continuous', '--run', 'zz');
    expect(none.stderr).toMatch(/no run 'zz' \(runs: .*r2 \(complete\)/);
    const reps = twinbench(DB, '--control', 'A', '--endpoint', 'sbp', '--type', 'continuous', '--run', 'r4');
    expect(reps.code).toBe(2);
    expect(reps.stderr).toContain('2 replicates (1, 2); choose one with --replicate');
    const rep2 = twinbench(
      DB,
      '--control',
      'A',
      '--endpoint',
      'sbp',
      '--type',
      'continuous',
      '--run',
      'r4',
      '--replicate',
      '2'
    );
    expect(rep2.code).toBe(0);
    const unknown = twinbench(DB, '--control', 'A', '--endpoint', 'dbp', '--type', 'continuous');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no endpoint 'dbp' (endpoints: pfs, resp, sbp, sbp_base)");
  });

  it('reports per-twin treatment effects of a counterfactual run and analyses the observed arms', async () => {
    const db = await NodeConnector.open(DB);
    try {
      const c = await analyze(
        { db, path: DB, runId: 'r6' },
        { name: 'sbp', type: 'continuous' },
        { control: 'A' }
      );
      expect(c.arms.map((a) => a.n)).toEqual([8, 8, 8]);
      // value(twin, arm k) − value(twin, A) = −4k − 3k = −7k for every twin
      expect(c.counterfactual).toHaveLength(2);
      expect(c.counterfactual![0]).toMatchObject({
        arm: 'B',
        control: 'A',
        n: 24,
        mean: -7,
        median: -7,
        sd: 0
      });
      expect(c.counterfactual![1]).toMatchObject({ arm: 'C', n: 24, mean: -14, min: -14, max: -14 });
    } finally {
      await db.close();
    }
  });
});

describe('twinbench analyze: output and bad input', () => {
  const file = () => join(dir, 'trial.csv');
  it('prints a readable table and JSON with the documented fields', () => {
    const t = twinbench(file(), '--arm', 'arm', '--control', 'A', '--endpoint', 'resp', '--type', 'binary');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^arm\s+n\s+missing\s+events\s+proportion/m);
    expect(t.stdout).toMatch(/chi_square \*/);
    expect(t.stdout).toContain('Holm adjustment across 2 arm(s)');
    expect(t.stdout).not.toMatch(/NaN|Infinity/);
    const j = JSON.parse(
      twinbench(
        file(),
        '--arm',
        'arm',
        '--control',
        'A',
        '--endpoint',
        'sbp',
        '--type',
        'continuous',
        '--format',
        'json',
        '--adjust',
        'bonferroni'
      ).stdout
    );
    expect(Object.keys(j).slice(0, 2)).toEqual(['endpoint', 'type']);
    expect(j.arms[0]).toMatchObject({ arm: 'A', n: 8 });
    for (const k of [
      'arm',
      'control',
      'method',
      'estimate',
      'ciLow',
      'ciHigh',
      'pValue',
      'statistic',
      'df',
      'pAdjusted'
    ])
      expect(j.comparisons[0]).toHaveProperty(k);
    const welch = j.comparisons.filter((r: { method: string }) => r.method === 'welch_t');
    expect(welch[0].pAdjusted).toBeCloseTo(Math.min(1, 2 * welch[0].pValue), 12);
    expect(j.comparisons.find((r: { method: string }) => r.method === 'mann_whitney').estimate).toBeNull();
  });

  it('excludes and counts missing values per arm, and says so', () => {
    const f = csv('missing.csv', 'arm,y\nA,1\nA,\nA,3\nA,NA\nB,4\nB,5\nB,7\n,9');
    const r = twinbench(f, '--arm', 'arm', '--control', 'A', '--endpoint', 'y', '--type', 'continuous');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Rows with missing values were excluded: A 2, no arm 1.');
    const j = JSON.parse(
      twinbench(
        f,
        '--arm',
        'arm',
        '--control',
        'A',
        '--endpoint',
        'y',
        '--type',
        'continuous',
        '--format',
        'json'
      ).stdout
    );
    expect(j.arms.map((a: { n: number; missing: number }) => [a.n, a.missing])).toEqual([
      [2, 2],
      [3, 0]
    ]);
    expect(j.missingArm).toBe(1);
  });

  const cases: [string, string, string[], RegExp][] = [
    [
      'n < 2',
      'arm,y\nA,1\nA,2\nB,3',
      ['--type', 'continuous'],
      /arm 'B' has 1 complete observation; each arm needs at least 2/
    ],
    [
      'zero variance',
      'arm,y\nA,1\nA,2\nB,3\nB,3',
      ['--type', 'continuous'],
      /arm 'B': every value of 'y' is 3 \(zero variance\)/
    ],
    [
      'no events',
      'arm,y\nA,0\nA,0\nB,0\nB,0',
      ['--type', 'binary'],
      /column 'y' is 0 in every row \(no events\)/
    ],
    [
      'all events',
      'arm,y\nA,1\nA,1\nB,1\nB,1',
      ['--type', 'binary'],
      /column 'y' is 1 in every row \(all events\)/
    ],
    [
      'not 0/1',
      'arm,y\nA,1\nA,0\nB,2\nB,1',
      ['--type', 'binary'],
      /column 'y' holds '2' at row 3 \(line 4\), which is not 0 or 1/
    ],
    [
      'non-numeric',
      'arm,y\nA,1.5\nA,2\nB,3\nB,abc\nB,4',
      ['--type', 'continuous'],
      /column 'y' holds 'abc' at row 4 \(line 5\), which is not a finite number/
    ],
    [
      'unknown level',
      'arm,y\nA,1\nA,2\nB,3\nB,4',
      ['--type', 'continuous', '--control', 'placebo'],
      /--control: 'placebo' is not a level of column 'arm' \(levels: A, B\)/
    ],
    [
      'unknown column',
      'arm,y\nA,1\nA,2\nB,3\nB,4',
      ['--type', 'continuous', '--baseline', 'bl'],
      /--baseline: .* has no column 'bl' \(columns: arm, y\)/
    ],
    [
      'tte without time/event',
      'arm,y\nA,1\nA,2\nB,3\nB,4',
      ['--type', 'tte'],
      /--type tte needs --time <column> and --event <column>/
    ],
    [
      'no tte events',
      'arm,t,e\nA,1,0\nA,2,0\nB,3,0\nB,4,0',
      ['--type', 'tte', '--time', 't', '--event', 'e'],
      /no events: every row is censored/
    ],
    [
      'negative time',
      'arm,t,e\nA,1,0\nA,-2,1\nB,3,0\nB,4,1',
      ['--type', 'tte', '--time', 't', '--event', 'e'],
      /column 't' holds '-2' at row 2 \(line 3\), which is not a number ≥ 0/
    ]
  ];
  it.each(cases)('exits 2 with a clear message: %s', (name, text, args, message) => {
    const f = csv(`${name.replace(/\W+/g, '-')}.csv`, text);
    const control = args.includes('--control') ? [] : ['--control', 'A'];
    const r = twinbench(f, '--arm', 'arm', '--endpoint', 'y', ...control, ...args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
