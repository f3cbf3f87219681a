import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COMPARISON_METHODS } from '../../src/lib/analysis/compare-method-names';
import { helpAnchors } from '../../src/lib/ui/help/help-sections';
import { methodHelpHref } from '../../src/lib/ui/help/method-help-anchor';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

/** Where an element's top sits in the viewport (0 = at the top edge). */
const topOf = (page: Page, id: string) =>
  page.evaluate((x) => document.getElementById(x)?.getBoundingClientRect().top ?? NaN, id);

describe.skipIf(!inject('chromium'))('Help page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is in the navigation and holds every section of its table of contents, once', async () => {
    await page.goto(baseUrl);
    await page.locator('header nav').getByRole('link', { name: 'Help' }).click();
    await page.getByRole('heading', { level: 1, name: 'Help and methods' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/help');
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    for (const a of helpAnchors()) expect(ids.filter((id) => id === a).length, `#${a}`).toBe(1);
    // The table of contents links to exactly those anchors.
    const tocHrefs = await page
      .getByTestId('help-toc')
      .locator('a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(tocHrefs).toEqual(helpAnchors().map((a) => `#${a}`));
    // Every method name the Compare page shows links to a section that is on this page.
    for (const m of COMPARISON_METHODS) {
      const id = methodHelpHref(m).split('#')[1];
      expect(ids, `${m} → #${id}`).toContain(id);
    }
    expect(pageErrors).toEqual([]);
  });

  it('jumps to a section from the table of contents', async () => {
    const toc = page.getByTestId('help-toc');
    for (const [name, id] of [
      ['Correlations: the Gaussian copula', 'copula'],
      ['Log-rank test', 'log-rank'],
      ['Monte Carlo power and its error', 'monte-carlo-power']
    ]) {
      await toc.getByRole('link', { name, exact: true }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe(`#${id}`);
      // The section now starts at the top of the window (scroll-margin 0.5rem).
      await expect.poll(async () => Math.abs(await topOf(page, id))).toBeLessThanOrEqual(12);
      await page.screenshot({ path: `${ARTIFACTS}help-section-${id}.png` });
    }
  });

  it('opens at the section another page links to', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await fresh.goto(`${baseUrl}help#cox`);
    await fresh.getByRole('heading', { level: 1, name: 'Help and methods' }).waitFor();
    await expect.poll(async () => Math.abs(await topOf(fresh, 'cox'))).toBeLessThanOrEqual(12);
    // The section shows the name the Compare table uses.
    expect(await fresh.locator('#cox').innerText()).toContain('Cox PH (Efron), hazard ratio');
    await fresh.close();
  });

  it('shows Monte Carlo replicates from the closed form and the engine’s derived formulas', async () => {
    // R: ceiling(qnorm(0.975)^2 * 0.8 * 0.2 / 0.01^2) = 6147
    const row = page.getByTestId('help-replicates').locator('tr', { hasText: '80 %' });
    expect(await row.locator('td').allInnerTexts()).toEqual(['246', '1,537', '6,147']);
    expect(await page.getByTestId('help-derived').innerText()).toContain('egfr_ckd_epi_2021');
  });

  for (const [name, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 800 }]
  ] as const)
    it(`fits a ${name} screen (${viewport.width}×${viewport.height})`, async () => {
      const small = await browser.newPage({ viewport });
      await small.goto(`${baseUrl}help`);
      await small.getByRole('heading', { level: 1, name: 'Help and methods' }).waitFor();
      // Nothing wider than the screen: equations and tables scroll inside their own box.
      expect(await small.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(
        viewport.width
      );
      await small.screenshot({ path: `${ARTIFACTS}help-${name}.png` });
      await small.goto(`${baseUrl}help#indirect-response`);
      await expect
        .poll(async () => Math.abs(await topOf(small, 'indirect-response')))
        .toBeLessThanOrEqual(12);
      await small.screenshot({ path: `${ARTIFACTS}help-${name}-models.png` });
      await small.close();
    });

  it('links from the pages that use the methods', async () => {
    // The Power page's heading link leads to the Monte Carlo section (no database needed to follow it).
    const other = await browser.newPage();
    try {
      await other.goto(`${baseUrl}power`);
      await other.getByRole('link', { name: 'Monte Carlo power and its error' }).click();
      await expect.poll(() => new URL(other.url()).hash).toBe('#monte-carlo-power');
      await other.getByRole('heading', { level: 2, name: 'Monte Carlo power and its error' }).waitFor();
    } finally {
      await other.close();
    }
  });
});
