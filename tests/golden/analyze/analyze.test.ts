// `twinbench analyze trial.csv --format json` against R (tests/golden/analyze/analyze-golden.R):
// t.test, wilcox.test, lm, prop.test, fisher.test, chisq.test, p.adjust, survfit, survdiff,
// coxph and multcomp/mvtnorm (Dunnett) on a 3-arm dataset with missing values, a zero cell
// (no responders on 'low') and censored, tied event times.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../../src/cli/twinbench.js', import.meta.url));
const dir = fileURLToPath(new URL('./', import.meta.url));
const CSV = `${dir}trial.csv`;
const REL = 1e-6;

type Json = Record<string, unknown>;

function golden(name: string): Json {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')).expected;
}

function analyze(...args: string[]): Json {
  const r = spawnSync(
    process.execPath,
    [CLI, 'analyze', CSV, '--arm', 'arm', '--control', 'placebo', '--format', 'json', ...args],
    {
      encoding: 'utf8',
      timeout: 120_000
    }
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** Every field R computed: numbers within `rel` (absolute 1e-12 near zero), null as null, text equal. */
function expectMatches(actual: Json, expected: Json, label: string, rel = REL): void {
  for (const [k, e] of Object.entries(expected)) {
    const a = actual[k];
    const where = `${label}.${k}`;
    if (e === null) expect(a, where).toBeNull();
    else if (typeof e === 'number') {
      expect(typeof a, `${where}: got ${String(a)}`).toBe('number');
      const tol = rel * Math.abs(e) + 1e-12;
      if (!(Math.abs((a as number) - e) <= tol)) expect.fail(`${where}: ${String(a)} vs R ${e} (tol ${tol})`);
    } else expect(a, where).toEqual(e);
  }
}

function compare(actual: Json, expected: Json, rel: Record<string, number> = {}): void {
  for (const k of ['endpoint', 'type', 'control', 'primary']) expect(actual[k], k).toBe(expected[k]);
  const arms = actual.arms as Json[];
  const eArms = expected.arms as Json[];
  expect(arms.map((a) => a.arm)).toEqual(eArms.map((a) => a.arm));
  eArms.forEach((e, i) => expectMatches(arms[i], e, `arms[${e.arm}]`));
  const rows = actual.comparisons as Json[];
  const eRows = expected.comparisons as Json[];
  expect(rows.map((r) => `${r.arm}/${r.method}`).sort()).toEqual(
    eRows.map((r) => `${r.arm}/${r.method}`).sort()
  );
  for (const e of eRows) {
    const a = rows.find((r) => r.arm === e.arm && r.method === e.method)!;
    expectMatches(a, e, `${e.arm}/${e.method}`, rel[e.method as string]);
  }
  for (const r of rows) for (const v of Object.values(r)) expect(Number.isNaN(v)).toBe(false);
}

describe('twinbench analyze vs R', () => {
  it('continuous with baseline: summaries, Welch, Student, Wilcoxon W, ANCOVA (Holm), Dunnett', () => {
    const expected = golden('continuous');
    const actual = analyze('--endpoint', 'y', '--baseline', 'baseline', '--type', 'continuous');
    compare(actual, expected);
    // Dunnett: R p-values and critical value from mvtnorm::pmvt at ~1e-8 error; ours by quadrature
    const dunnett = actual.dunnett as Json[];
    for (const e of expected.dunnett as Json[]) {
      const a = dunnett.find((d) => d.arm === e.arm)!;
      const { pAdjusted, ciLow, ciHigh, ...exact } = e;
      expectMatches(a, exact, `dunnett ${e.arm}`);
      expectMatches(a, { pAdjusted, ciLow, ciHigh }, `dunnett ${e.arm}`, 1e-4);
    }
    expect(actual.arms).toMatchObject([
      { missing: 0 },
      { arm: 'low', missing: 1 },
      { arm: 'high', missing: 1 }
    ]);
  });

  it('binary with a zero cell: Wilson, Wald/Newcombe RD, RR, Haldane/Woolf OR, Fisher, chi-square (Holm)', () => {
    compare(analyze('--endpoint', 'resp', '--type', 'binary'), golden('binary'));
  });

  it('time to event with censoring and ties: KM medians, log-rank (Holm), Cox Efron and Breslow', () => {
    compare(
      analyze('--endpoint', 'os', '--time', 'time', '--event', 'event', '--type', 'tte'),
      golden('tte')
    );
  });
});
