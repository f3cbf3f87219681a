import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage, screenshotsAt } from './browser';

/**
 * The results of a run on the Runs page: the antihypertensive protocol run in the page
 * shows its trial flow, Table 1 by arm, percentile bands with n per visit and a spaghetti
 * plot whose twins link to their story; the oncology protocol shows Kaplan–Meier curves
 * with numbers at risk under the axis (in months) and a waterfall of tumour size change.
 * Screenshots at 1280×800 and 390×844, and no sideways scrolling on a phone.
 */
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

describe('run results', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Runs a shipped protocol with N twins through the Protocols page and opens its results. */
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
    await page.getByTestId('run-done').waitFor({ timeout: 120_000 });
    await page.getByTestId('run-link').click();
    await page.waitForURL(/\/runs\?run=\d+/);
    // The results, or the error that stopped them (named in the failure).
    const shown = page.locator(
      '[data-testid=trial-flow] figure svg[viewBox], [data-testid=run-view] [role=alert]'
    );
    await shown.first().waitFor({ timeout: 30_000 });
    const alert = page.locator('[data-testid=run-view] [role=alert]');
    if (await alert.count()) expect.fail(await alert.innerText());
    return Number(new URL(page.url()).searchParams.get('run'));
  }

  it('shows the flow, Table 1, bands and a spaghetti plot whose twins open their story', async () => {
    const runId = await runInPage('antihypertensive-dose-ranging.yaml', 500);
    const flow = page.locator('[data-testid=trial-flow] figure[aria-label^="trial flow"]');
    await flow.locator('svg').waitFor({ timeout: 30_000 });
    const flowText = await flow.innerText();
    expect(flowText).toContain('Screened');
    expect(flowText).toContain('enrolled and randomised 500');
    for (const arm of ['placebo', '2.5 mg', '5 mg', '10 mg']) expect(flowText).toContain(arm);
    expect(flowText).toMatch(/dropped out \d+/);
    expect(flowText).toMatch(/Analysed \d+/);

    const table1 = page.getByTestId('run-table1');
    expect(await table1.locator('thead th').allInnerTexts()).toEqual(
      expect.arrayContaining(['placebo', '2.5 mg', '5 mg', '10 mg'])
    );

    const bands = page.locator('figure[aria-label="percentile bands of E"]');
    // One band per arm, n above each of the five visits per arm.
    expect(await bands.locator('svg g[aria-label="area"] path').count()).toBe(4);
    expect(await bands.innerText()).toContain('E (mmHg)');
    const ns = await bands.locator('svg g[aria-label="text"] text').allTextContents();
    expect(ns.filter((t) => /^\d+$/.test(t)).length).toBeGreaterThanOrEqual(20);

    const spaghetti = page.locator('figure[aria-label="individual profiles of E"]');
    expect(await spaghetti.locator('svg g[aria-label="line"] a').count()).toBe(4 * 50);
    await page.screenshot({ path: `${ARTIFACTS}runs-results-top.png` });
    await screenshotsAt(page, ARTIFACTS, 'runs-results-antihypertensive');
    expect(pageErrors).toEqual([]);
    const link = spaghetti.locator('svg g[aria-label="dot"] a').first();
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^/twin\\?run=${runId}&twin=\\d+$`));
    // Dots overlap: a pointer click may land on another twin's, so the link itself is clicked.
    await link.dispatchEvent('click');
    await page.waitForURL((u) => u.pathname === '/twin' && u.search === href!.slice('/twin'.length));
  });

  it('shows Kaplan–Meier with numbers at risk in months and a waterfall for the oncology run', async () => {
    pageErrors.length = 0;
    await runInPage('oncology-tgi-os.yaml', 300);
    const km = page.locator('[data-testid=km-os] figure[aria-label^="Kaplan"]');
    await km.locator('svg[viewBox]').waitFor({ timeout: 30_000 });
    const text = await km.innerText();
    expect(text).toContain('Number at risk');
    expect(text).toContain('time since randomisation (months)');
    // Three arms: three curves, three bands, three rows of numbers at risk starting at the arm size.
    expect(await km.locator('svg g[aria-label="line"] path').count()).toBe(3);
    expect(await km.locator('svg g[aria-label="area"] path').count()).toBe(3);
    expect(await page.getByTestId('km-os').innerText()).toMatch(/Median \(months\): supportive care [\d.]+/);
    const waterfall = page.locator('figure[aria-label="waterfall of sld_pct_change_w12"]');
    expect(await waterfall.locator('svg g[aria-label="bar"] rect').count()).toBeGreaterThan(100);
    await page.getByTestId('km-os').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}runs-results-km.png` });
    await screenshotsAt(page, ARTIFACTS, 'runs-results-oncology');
    expect(pageErrors).toEqual([]);
  });
});
