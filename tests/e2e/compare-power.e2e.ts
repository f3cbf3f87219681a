import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Comparison } from '../../src/lib/analysis/compare-types';
import type { PowerResult } from '../../src/lib/runner/power';
import { openPage } from './browser';

/**
 * The Compare and Power pages against the CLI: a run made in the page (through
 * Protocols) is compared in the page, and the numbers must equal `twinbench analyze`
 * on the same protocol, N and seed run by `twinbench run` (determinism makes them
 * identical); the Power page must equal `twinbench power` for the same inputs.
 */
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const HYPERTENSION = 'antihypertensive-dose-ranging.yaml';
const ONCOLOGY = 'oncology-tgi-os.yaml';
const FACTORIAL = 'antihypertensive-combination.yaml';
const exec = promisify(execFile);

async function cli<T = unknown>(...args: string[]): Promise<T> {
  const { stdout } = await exec('node', ['src/cli/twinbench.js', ...args], {
    cwd: ROOT,
    maxBuffer: 64 << 20
  });
  return (args.includes('json') ? JSON.parse(stdout) : stdout) as T;
}

/** |a − b| ≤ 1e-6, relative for numbers above 1; nulls must match. */
function close(a: number | null, b: number | null, what: string) {
  if (a === null || b === null) {
    expect(a, what).toBe(b);
    return;
  }
  expect(Math.abs(a - b), `${what}: page ${a} vs CLI ${b}`).toBeLessThanOrEqual(
    1e-6 * Math.max(1, Math.abs(b))
  );
}

interface PageRow {
  arm: string;
  method: string;
  primary: boolean;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  statistic: number | null;
  df: number | null;
  pValue: number | null;
  pAdjusted: number | null;
}

/** The comparison table's rows with the full-precision values of their cells. */
async function readComparison(table: Locator): Promise<PageRow[]> {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const num = (field: string, attr = 'data-value') => {
        const v = tr.querySelector(`[data-field="${field}"]`)?.getAttribute(attr);
        return v === null || v === undefined ? null : Number(v);
      };
      return {
        arm: tr.getAttribute('data-arm')!,
        method: tr.getAttribute('data-method')!,
        primary: tr.classList.contains('primary'),
        estimate: num('estimate'),
        ciLow: num('ci', 'data-low'),
        ciHigh: num('ci', 'data-high'),
        statistic: num('statistic'),
        df: num('df'),
        pValue: num('p'),
        pAdjusted: num('p-adjusted')
      };
    })
  );
}

function expectSameComparison(rows: PageRow[], c: Comparison) {
  const expected = c.comparisons.filter((r) => r.method !== 'km_median');
  expect(rows.length).toBe(expected.length);
  for (const r of expected) {
    const got = rows.find((x) => x.arm === r.arm && x.method === r.method);
    expect(got, `${r.arm} ${r.method}`).toBeDefined();
    const what = `${c.endpoint} ${r.arm} ${r.method}`;
    close(got!.estimate, r.estimate, `${what} estimate`);
    close(got!.ciLow, r.ciLow, `${what} CI low`);
    close(got!.ciHigh, r.ciHigh, `${what} CI high`);
    close(got!.statistic, r.statistic, `${what} statistic`);
    close(got!.df, r.df, `${what} df`);
    close(got!.pValue, r.pValue, `${what} p`);
    close(got!.pAdjusted, r.pAdjusted, `${what} p adjusted`);
    expect(got!.primary, `${what} primary`).toBe(r.pAdjusted !== null);
  }
}

describe.skipIf(!inject('chromium'))('Compare and Power pages in Chromium, against the CLI', () => {
  let browser: Browser;
  let page: Page;
  let tmp: string;
  let pageErrors: string[] = [];
  const expected: {
    sbp?: Comparison;
    responder?: Comparison;
    os?: Comparison;
    factorial?: Comparison;
    power?: PowerResult;
  } = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'twinbench-compare-'));
    const hyp = join(tmp, 'hypertension.duckdb');
    const onc = join(tmp, 'oncology.duckdb');
    await cli('run', `protocols/${HYPERTENSION}`, '--n', '200', '--db', hyp);
    await cli('run', `protocols/${ONCOLOGY}`, '--n', '200', '--db', onc);
    const analyze = (db: string, endpoint: string, type: string, control: string) =>
      cli<Comparison>(
        'analyze',
        db,
        '--endpoint',
        endpoint,
        '--type',
        type,
        '--control',
        control,
        '--format',
        'json'
      );
    expected.sbp = await analyze(hyp, 'sbp_change_w12', 'continuous', 'placebo');
    expected.responder = await analyze(hyp, 'responder_w12', 'binary', 'placebo');
    expected.os = await analyze(onc, 'os', 'tte', 'supportive care');
    const fac = join(tmp, 'factorial.duckdb');
    await cli('run', `protocols/${FACTORIAL}`, '--n', '48', '--db', fac);
    expected.factorial = await analyze(fac, 'sbp_change_w8', 'continuous', 'placebo');
    expected.power = await cli<PowerResult>(
      'power',
      `protocols/${HYPERTENSION}`,
      '--n',
      '40,80,160',
      '--replicates',
      '50',
      '--target-power',
      '0.8',
      '--format',
      'json'
    );
    ({ browser, page, pageErrors } = await openPage());
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs a shipped protocol with N twins through the Protocols page. */
  async function runInPage(file: string, n: number) {
    await page.goto(`${baseUrl}protocols`);
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid=run]');
      return b && !b.hasAttribute('disabled');
    });
    await page.getByTestId('protocol-file').selectOption(file);
    await page.getByTestId('run-n').fill(String(n));
    await expect.poll(() => page.getByTestId('run').innerText()).toContain(`${n} twin`);
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 90_000 });
  }

  it('compares the antihypertensive run with the numbers of twinbench analyze', async () => {
    await runInPage(HYPERTENSION, 200);
    await page.locator('header nav a', { hasText: 'Compare' }).click();
    await page.waitForURL(/\/compare/);
    const primary = page.getByTestId('endpoint-sbp_change_w12');
    const table = primary.getByTestId('comparison-table');
    await table.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('compare-endpoint').inputValue()).toBe('sbp_change_w12');
    expect(await page.getByTestId('compare-control').inputValue()).toBe('placebo');

    // every method for each arm, primary (ANCOVA on the first visit, all arms in one model)
    // marked with its Holm-adjusted p
    const rows = await readComparison(table);
    expectSameComparison(rows, expected.sbp!);
    expect(rows.filter((r) => r.primary).map((r) => r.method)).toEqual(['ancova', 'ancova', 'ancova']);
    expect(rows.filter((r) => r.method === 'ancova_pairwise')).toHaveLength(3);
    expect(await table.innerText()).toContain('p adj (Holm)');

    // arm summaries
    const means = await primary
      .getByTestId('arm-summary')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-arm'),
          Number(tr.querySelectorAll('td')[3].getAttribute('data-value'))
        ])
      );
    expect(means.map((m) => m[0])).toEqual(['placebo', '2.5 mg', '5 mg', '10 mg']);
    for (const a of expected.sbp!.arms) {
      close(means.find((m) => m[0] === a.arm)![1] as number, (a as { mean: number }).mean, `${a.arm} mean`);
    }

    // forest plot and distributions, axes with the unit (E0 is the covariate sbp, in mmHg)
    const forest = page.locator('figure[aria-label="forest plot of sbp_change_w12"]');
    expect(await forest.locator('svg g[aria-label="dot"] path, svg g[aria-label="dot"] circle').count()).toBe(
      3
    );
    expect(await forest.innerText()).toContain(
      'Baseline-adjusted difference in sbp_change_w12 (mmHg), arm − control'
    );
    const distribution = page.locator('figure[aria-label="distribution of sbp_change_w12"]');
    await distribution.waitFor();
    expect(await distribution.innerText()).toContain('sbp_change_w12 (mmHg)');
    // one tick per twin (the box's median tick is a second tick group)
    expect(await distribution.locator('svg g[aria-label="tick"]').first().locator('line').count()).toBe(
      expected.sbp!.arms.reduce((s, a) => s + a.n, 0)
    );

    // the secondary endpoint, a responder endpoint analysed as binary
    const secondary = page.getByTestId('endpoint-responder_w12').getByTestId('comparison-table');
    await secondary.waitFor();
    expectSameComparison(await readComparison(secondary), expected.responder!);
    await page.screenshot({ path: `${ARTIFACTS}compare-antihypertensive.png`, fullPage: true });

    // the responder endpoint chosen: proportions with their CI
    await page.getByTestId('compare-endpoint').selectOption('responder_w12');
    await page.locator('figure[aria-label="responders of responder_w12"] svg').waitFor();
    expectSameComparison(
      await readComparison(page.getByTestId('endpoint-responder_w12').getByTestId('comparison-table')),
      expected.responder!
    );
    expect(pageErrors).toEqual([]);
  });

  it('draws Kaplan–Meier curves for the oncology run and matches the time-to-event analysis', async () => {
    await runInPage(ONCOLOGY, 200);
    await page.goto(`${baseUrl}compare`);
    const view = page.getByTestId('endpoint-os');
    const table = view.getByTestId('comparison-table');
    await table.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('compare-control').inputValue()).toBe('supportive care');
    expectSameComparison(await readComparison(table), expected.os!);
    const km = page.locator('figure[aria-label="Kaplan–Meier curves of os"]');
    await km.locator('svg[viewBox]').waitFor();
    expect(await km.locator('svg g[aria-label="line"] path').count()).toBe(3);
    expect(await km.innerText()).toContain('Time since randomisation (weeks)');
    const forest = page.locator('figure[aria-label="forest plot of os"]');
    expect(await forest.innerText()).toContain('Hazard ratio of os (arm / control)');
    // the median survival per arm (hours), as the CLI
    const medians = await view
      .getByTestId('arm-summary')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-arm'),
          tr.querySelectorAll('td')[4].getAttribute('data-value')
        ])
      );
    for (const a of expected.os!.arms) {
      const m = medians.find((x) => x[0] === a.arm)![1];
      close(m === null ? null : Number(m), (a as { median: number | null }).median, `${a.arm} median`);
    }
    await page.screenshot({ path: `${ARTIFACTS}compare-oncology.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows the interaction of the 2×2 factorial protocol and ANCOVA on the first visit, as the CLI', async () => {
    await runInPage(FACTORIAL, 48);
    await page.goto(`${baseUrl}compare`);
    const view = page.getByTestId('endpoint-sbp_change_w8');
    const table = view.getByTestId('comparison-table');
    await table.waitFor({ timeout: 30_000 });
    const rows = await readComparison(table);
    expectSameComparison(rows, expected.factorial!);
    expect(rows.filter((r) => r.primary).map((r) => r.method)).toEqual(['ancova', 'ancova', 'ancova']);
    expect(await table.innerText()).toContain('ANCOVA (baseline, all arms)');
    expect(await table.innerText()).toContain('ANCOVA (baseline, pairwise)');
    expect(await view.getByTestId('ancova-baseline').innerText()).toContain('E at 0 h');
    const f = expected.factorial!.factorial!;
    const line = view.getByTestId('factorial-interaction');
    close(Number(await line.getAttribute('data-value')), f.estimate, 'interaction');
    close(Number(await line.getAttribute('data-p')), f.pValue, 'interaction p');
    expect(await view.getByTestId('factorial-table').locator('tbody tr').count()).toBe(4);
    expect(pageErrors).toEqual([]);
  });

  it('runs power by replicate trials with the numbers of twinbench power, then cancels a large one', async () => {
    await page.locator('header nav a', { hasText: 'Power' }).click();
    await page.waitForURL(/\/power/);
    await page.getByTestId('power-protocol').selectOption(HYPERTENSION);
    await page.getByTestId('power-sizes').fill('40, 80, 160');
    await page.getByTestId('power-replicates').fill('50');
    await page.getByTestId('power-target').fill('0.8');
    await expect.poll(() => page.getByTestId('power-run').innerText()).toContain('150 replicate trials');
    await page.getByTestId('power-run').click();
    await page.getByTestId('power-done').waitFor({ timeout: 90_000 });

    const rows = await page
      .getByTestId('power-table')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => {
          const v = (f: string, a = 'data-value') =>
            Number(tr.querySelector(`[data-field="${f}"]`)!.getAttribute(a));
          return {
            n: Number(tr.getAttribute('data-n')),
            arm: tr.getAttribute('data-arm')!,
            replicates: v('replicates'),
            power: v('power'),
            ciLow: v('ci', 'data-low'),
            ciHigh: v('ci', 'data-high'),
            success: v('success'),
            estimate: v('estimate')
          };
        })
      );
    const cliRows = expected.power!.sizes.flatMap((s) =>
      s.arms.map((a) => ({ ...a, n: s.n, replicates: s.replicates }))
    );
    expect(rows.map((r) => [r.n, r.arm])).toEqual(cliRows.map((r) => [r.n, r.arm]));
    for (const [i, r] of cliRows.entries()) {
      const what = `n ${r.n} ${r.arm}`;
      expect(rows[i].replicates, what).toBe(r.replicates);
      close(rows[i].power, r.power, `${what} power`);
      close(rows[i].ciLow, r.ciLow, `${what} CI low`);
      close(rows[i].ciHigh, r.ciHigh, `${what} CI high`);
      close(rows[i].success, r.probabilityOfSuccess, `${what} P(success)`);
      close(rows[i].estimate, r.meanEstimate, `${what} mean estimate`);
    }
    const size = expected.power!.sampleSize!;
    expect(await page.getByTestId('sample-size').innerText()).toContain(
      `Smallest total n with 80.0% power (${size.arm}): ${size.n}`
    );
    const curve = page.locator('figure[aria-label="power curve"]');
    expect(await curve.locator('svg g[aria-label="line"] path').count()).toBe(3);
    expect(await curve.locator('svg g[aria-label="area"] path').count()).toBe(3);
    expect(await curve.locator('svg g[aria-label="dot"] circle').count()).toBe(cliRows.length);
    expect(await curve.innerText()).toContain('Total sample size n (all arms)');
    await page.screenshot({ path: `${ARTIFACTS}power-done.png`, fullPage: true });

    // a large analysis: the curve fills in while it runs, and Cancel stops it
    await page.getByTestId('power-target').fill('');
    await page.getByTestId('power-sizes').fill('400, 800');
    await page.getByTestId('power-replicates').fill('2000');
    await page.getByTestId('power-run').click();
    await page.getByTestId('power-progress').waitFor();
    await expect
      .poll(() => curve.locator('svg g[aria-label="dot"] circle').count(), { timeout: 60_000 })
      .toBe(3);
    expect(await page.getByTestId('power-progress').isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}power-running.png` });
    await page.getByTestId('power-cancel').click();
    const message = page.getByTestId('power-message');
    await message.waitFor({ timeout: 30_000 });
    expect(await message.innerText()).toContain('Cancelled');
    expect(await page.getByTestId('power-run').isDisabled()).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
