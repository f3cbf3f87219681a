import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage, screenshotsAt } from './browser';

/**
 * A power study kept in the workspace: 2 sizes × 50 replicates of the antihypertensive
 * dose-ranging protocol run in the page survive a reload (listed, opened with the same
 * numbers), a size opens its replicates, a replicate runs again as a trial whose Compare
 * page gives the replicate's stored estimate to the last digit; the sizes field names
 * the nearest sizes the allocation allows; a cancelled study keeps its partial sizes on
 * screen. Screenshots at 1280×800 and 390×844.
 */
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const PROTOCOL = 'antihypertensive-dose-ranging.yaml';
const ARMS = ['2.5 mg', '5 mg', '10 mg'];

describe.skipIf(!inject('chromium'))('power journey', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
    page.on('dialog', (d) => void d.accept());
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The power table's rows with their full-precision values. */
  const tableRows = () =>
    page
      .getByTestId('power-table')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => {
          const v = (f: string, a = 'data-value') => tr.querySelector(`[data-field="${f}"]`)!.getAttribute(a);
          return [
            tr.getAttribute('data-n'),
            tr.getAttribute('data-arm'),
            v('replicates'),
            v('power'),
            v('ci', 'data-low'),
            v('ci', 'data-high'),
            v('success'),
            v('estimate')
          ];
        })
      );

  it('power 2 sizes × 50 replicates survives reload', async () => {
    await page.goto(`${baseUrl}power`);
    await page.getByTestId('power-protocol').selectOption(PROTOCOL);
    // the sizes field: 4 arms 1:1:1:1, so multiples of 4, the nearest named beside the field
    await page.getByTestId('power-sizes').fill('50, 80');
    const problems = page.getByTestId('power-sizes-problems');
    expect(await problems.innerText()).toContain(
      '50 is not a multiple of 4 (the 1:1:1:1 allocation); nearest: 48 or 52'
    );
    expect(await page.getByTestId('power-sizes').getAttribute('aria-describedby')).toBe(
      'power-sizes-help power-sizes-problems'
    );
    expect(await page.getByTestId('power-run').isDisabled()).toBe(true);
    await page.getByTestId('power-sizes').fill('40, 80');
    await page.getByTestId('power-replicates').fill('50');
    await expect.poll(() => page.getByTestId('power-run').innerText()).toContain('100 replicate trials');
    await page.getByTestId('power-run').click();
    await page.getByTestId('power-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('power-done').innerText()).toContain('Welch t-test, each arm vs placebo');
    const before = await tableRows();
    expect(before.map((r) => [r[0], r[1], r[2]])).toEqual(
      ['40', '80'].flatMap((n) => ARMS.map((a) => [n, a, '50']))
    );

    await page.reload();
    const listed = page.getByTestId('power-studies').locator('tbody tr').first();
    await listed.waitFor({ timeout: 30_000 });
    const cells = await listed.locator('td').allInnerTexts();
    expect(cells.slice(1, 6)).toEqual([
      'Antihypertensive dose-ranging (placebo, 2.5, 5, 10 mg once daily, 12 weeks)',
      '40, 80',
      '50',
      'Welch t-test',
      'complete'
    ]);
    await listed.locator('td.name a').click();
    await page.getByTestId('power-table').waitFor();
    expect(await tableRows()).toEqual(before);
    expect(page.url()).toMatch(/\/power\?study=\d+$/);
    expect(await page.getByTestId('power-sizes').inputValue()).toBe('40, 80');
    expect(await page.getByTestId('power-replicates').inputValue()).toBe('50');
    expect(await page.getByTestId('power-protocol').inputValue()).toBe(PROTOCOL);
    await screenshotsAt(page, ARTIFACTS, 'power-study');

    // its table and every replicate, as CSV
    const csv = async (testid: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      return readFileSync((await file.path())!, 'utf8')
        .trim()
        .split('\n');
    };
    const sizesCsv = await csv('power-export-sizes');
    expect(sizesCsv[0]).toBe(
      'n,replicates,partial,arm,power,ci_low,ci_high,probability_of_success,mean_estimate'
    );
    expect(sizesCsv.slice(1).map((l) => l.split(',').slice(0, 5))).toEqual(
      before.map((r) => [r[0], r[2], 'false', r[1], r[3]])
    );
    const replicatesCsv = await csv('power-export-replicates');
    expect(replicatesCsv[0]).toBe(
      'n,replicate,arm,estimate,ci_low,ci_high,p_value,p_adjusted,significant,success'
    );
    expect(replicatesCsv).toHaveLength(1 + 2 * 50 * ARMS.length);

    // a size opens its replicates: a histogram per arm and 50 × 3 rows, paged
    await page.getByRole('link', { name: 'replicates of n = 80' }).click();
    const drill = page.getByTestId('power-drill');
    await drill.waitFor();
    await expect.poll(() => drill.locator('figure svg').count()).toBe(ARMS.length);
    const caption = await page.getByTestId('power-replicates-table').locator('caption').innerText();
    expect(caption).toContain('1–40 of 150 rows');
    expect(await page.getByTestId('power-replicates-table').locator('tbody tr').count()).toBe(40);
    await screenshotsAt(page, ARTIFACTS, 'power-replicates');
    expect(pageErrors).toEqual([]);
  });

  it('runs a replicate again as a trial: its Compare page gives the stored estimate to the last digit', async () => {
    const replicate = 3;
    const stored = await page
      .getByTestId('power-replicates-table')
      .locator(`tbody tr[data-replicate="${replicate}"]`)
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-arm'),
          tr.querySelector('[data-field="estimate"]')!.getAttribute('data-value')
        ])
      );
    expect(stored.map((s) => s[0])).toEqual(ARMS);
    await page.getByRole('button', { name: `Run replicate ${replicate} at n = 80 as a trial` }).click();
    await page.waitForURL(/\/open#/);
    await page.getByTestId('open-summary').waitFor();
    expect(await page.getByTestId('open-summary').innerText()).toContain('80');
    await page.waitForFunction(
      () => !document.querySelector('[data-testid=open-run]')?.hasAttribute('disabled')
    );
    await page.getByTestId('open-run').click();
    const result = page.getByTestId('open-result');
    await result.waitFor({ timeout: 120_000 });
    await result.getByRole('link', { name: 'Compare its arms' }).click();
    const table = page.locator('[data-testid=comparison-table][data-endpoint="sbp_change_w12"]');
    await table.first().waitFor({ timeout: 60_000 });
    for (const [arm, estimate] of stored) {
      const cell = table.locator(`tr[data-arm="${arm}"][data-method="welch_t"] [data-field="estimate"]`);
      expect(await cell.getAttribute('data-value'), arm!).toBe(estimate);
    }
    expect(pageErrors).toEqual([]);
  });

  it('labels that run, keeps its notes across a reload, and deletes it with its cohort after asking', async () => {
    const runId = new URL(page.url()).searchParams.get('run');
    await page.goto(`${baseUrl}runs?run=${runId}`);
    await page.getByTestId('run-label-input').fill('replicate 3 at n = 80');
    await page.getByTestId('run-notes-input').fill('from the power study: the same estimates');
    await page.getByTestId('run-notes-save').click();
    await page.getByTestId('run-label').waitFor();
    await page.reload();
    await page.getByTestId('run-label').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-label').innerText()).toBe('replicate 3 at n = 80');
    expect(await page.getByTestId('run-notes-input').inputValue()).toBe(
      'from the power study: the same estimates'
    );
    await screenshotsAt(page, ARTIFACTS, 'run-notes');
    const dialogs: string[] = [];
    page.on('dialog', (d) => dialogs.push(d.message()));
    await page.getByRole('button', { name: `Delete run #${runId} 'replicate 3 at n = 80'` }).click();
    await expect.poll(() => page.locator(`[data-testid=run-list] a[href="?run=${runId}"]`).count()).toBe(0);
    expect(dialogs[0]).toBe(
      `Delete run #${runId} 'replicate 3 at n = 80', its results and its 80-twin cohort? This cannot be undone.`
    );
    expect(pageErrors).toEqual([]);
  });

  it("keeps a cancelled study's sizes on screen, partial ones marked, and deletes a stored study after asking", async () => {
    await page.goto(`${baseUrl}power`);
    await page.getByTestId('power-protocol').selectOption(PROTOCOL);
    await page.getByTestId('power-sizes').fill('40, 400');
    await page.getByTestId('power-replicates').fill('200');
    await page.getByTestId('power-target').fill('');
    await page.getByTestId('power-run').click();
    const curve = page.locator('figure[aria-label="power curve"]');
    // the first size done and the second under way: 3 arms × 2 sizes of dots
    await expect
      .poll(() => curve.locator('svg g[aria-label="dot"] circle').count(), { timeout: 90_000 })
      .toBe(6);
    await page.getByTestId('power-cancel').click();
    await page.getByTestId('power-message').waitFor({ timeout: 30_000 });
    const partial = page.getByTestId('power-partial');
    expect(await partial.innerText()).toMatch(/^partial \(\d+ of 200 replicates\)$/);
    const hollow = await curve.locator('svg g[aria-label="dot"] circle[fill-opacity="0"]').count();
    expect(hollow).toBe(ARMS.length);
    await screenshotsAt(page, ARTIFACTS, 'power-partial');

    const rows = page.getByTestId('power-studies').locator('tbody tr');
    const count = await rows.count();
    const first = rows.first();
    const id = await first.getAttribute('data-power-id');
    await page.getByRole('button', { name: new RegExp(`^Delete power study #${id} `) }).click();
    await expect.poll(() => rows.count()).toBe(count - 1);
    expect(pageErrors).toEqual([]);
  });
  it("shows the estimands protocol's operating characteristics, naming where the true values come from", async () => {
    await page.goto(`${baseUrl}power`);
    await page.getByTestId('power-protocol').selectOption('type2-diabetes-estimands.yaml');
    await page.getByTestId('power-sizes').fill('120');
    await page.getByTestId('power-replicates').fill('10');
    await page.getByTestId('power-run').click();
    await page.getByTestId('power-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('operating-note').innerText()).toContain(
      'the first 100 twins of each replicate under every arm'
    );
    // five analyses × two active arms × three estimands (the composite is a proportion)
    const rows = page.getByTestId('operating-table').locator('tbody tr');
    expect(await rows.count()).toBe(30);
    const estimands = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-estimand')));
    expect(new Set(estimands)).toEqual(new Set(['treatment_policy', 'hypothetical', 'while_on_treatment']));
    await screenshotsAt(page, ARTIFACTS, 'power-operating');
    expect(pageErrors).toEqual([]);
  });
});
