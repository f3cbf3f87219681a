import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

/**
 * Exports from the Compare page: a chart downloaded as SVG and as PNG, and the run's HTML
 * report, which then opens from file:// in a browser with the network off and shows its
 * tables and charts, at desktop and phone sizes without sideways scrolling.
 */
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const PROTOCOL = 'antihypertensive-dose-ranging.yaml';

async function downloaded(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), button.click()])) as [Download, void];
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

describe.skipIf(!inject('chromium'))('chart exports and the HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let reportPath = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
    await page.goto(`${baseUrl}protocols`);
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid=run]');
      return b && !b.hasAttribute('disabled');
    });
    await page.getByTestId('protocol-file').selectOption(PROTOCOL);
    await page.getByTestId('run-n').fill('60');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=run]')?.textContent?.includes('60 twin')
    );
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 90_000 });
    await page.goto(`${baseUrl}compare`);
    await page
      .getByTestId('endpoint-sbp_change_w12')
      .getByTestId('comparison-table')
      .waitFor({ timeout: 60_000 });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('downloads a chart as a standalone SVG and as a PNG at twice its size', async () => {
    const svgButton = page.getByRole('button', { name: 'Download forest plot of sbp_change_w12 as SVG' });
    const svg = await downloaded(page, svgButton);
    expect(svg.name).toBe('forest-plot-of-sbp-change-w12.svg');
    const text = svg.bytes.toString('utf8');
    expect(text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toContain('<title>forest plot of sbp_change_w12</title>');
    expect(text).toMatch(/style="color: rgb\(/);

    const png = await downloaded(
      page,
      page.getByRole('button', { name: 'Download forest plot of sbp_change_w12 as PNG' })
    );
    expect(png.name).toBe('forest-plot-of-sbp-change-w12.png');
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = png.bytes.readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)"/.exec(text)![1]);
    expect(width).toBe(2 * svgWidth);
    expect(pageErrors).toEqual([]);
  });

  it('downloads the run report from the Compare page', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${ARTIFACTS}report-compare-1280.png` });
    const report = await downloaded(page, page.getByTestId('download-report'));
    expect(report.name).toMatch(/^twinbench-run-\d+-report\.html$/);
    expect(report.bytes.length).toBeGreaterThan(10_000);
    const html = report.bytes.toString('utf8');
    expect(html).not.toMatch(/<script\b/i);
    expect(html).toContain('sbp_change_w12');
    reportPath = `${ARTIFACTS}report-downloaded.html`;
    writeFileSync(reportPath, report.bytes);
    expect(pageErrors).toEqual([]);
  });

  it('opens offline from file:// and shows its tables and charts at 1280 and 390 px', async () => {
    expect(reportPath).not.toBe('');
    for (const [width, height] of [
      [1280, 800],
      [390, 844]
    ]) {
      const context = await browser.newContext({ viewport: { width, height }, offline: true });
      const requests: string[] = [];
      context.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      const offline = await context.newPage();
      await offline.goto(`file://${reportPath}`);
      expect(await offline.locator('h1').innerText()).toContain('Run #');
      for (const id of ['summary', 'flow', 'table1', 'comparisons', 'protocol'])
        expect(await offline.locator(`#${id}`).count(), id).toBe(1);
      const charts = offline.locator('#comparisons figure svg');
      expect(await charts.count()).toBeGreaterThanOrEqual(2);
      const box = await charts.first().boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(
        await offline.locator('#comparisons figure svg circle, #comparisons figure svg path').count()
      ).toBeGreaterThan(0);
      expect(await offline.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
      await offline.screenshot({ path: `${ARTIFACTS}report-offline-${width}.png` });
      await offline.locator('#comparisons figure').first().scrollIntoViewIfNeeded();
      await offline.screenshot({ path: `${ARTIFACTS}report-offline-chart-${width}.png` });
      expect(requests).toEqual([]);
      await context.close();
    }
  });
});
