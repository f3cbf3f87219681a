import { mkdirSync, statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

const noOverflow = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

describe.skipIf(!inject('chromium'))('Home page and shared links in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let sharedUrl = '';
  let originalEstimates: string[] = [];
  let workspaceFile = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('starts from a shipped protocol in one click, runs it and shares the run with its primary estimate', async () => {
    await page.goto(baseUrl);
    await page.locator('a[href="/help#twins"]').waitFor();
    expect(await page.locator('a[href="/help#twins"]').count()).toBe(1);
    await page.getByTestId('recent').getByText('No runs yet').waitFor({ timeout: 30_000 });
    await page
      .getByTestId('shipped-protocols')
      .getByRole('button', { name: 'antihypertensive-dose-ranging' })
      .click();
    await page.waitForURL(/\/protocols$/);
    expect(await page.getByTestId('protocol-file').inputValue()).toBe('antihypertensive-dose-ranging.yaml');
    await page.waitForFunction(() => !document.querySelector('[data-testid=run]')?.hasAttribute('disabled'));
    await page.getByTestId('run-n').fill('200');
    await page.getByTestId('run-seed').fill('4242');
    await expect.poll(() => page.getByTestId('run').innerText()).toContain('200 twin');
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 90_000 });

    await page.locator('header a.brand').click();
    const runs = page.getByTestId('recent-runs');
    await runs.waitFor({ timeout: 30_000 });
    expect(await runs.innerText()).toMatch(/#1 Antihypertensive dose-ranging[^\n]*200 twins · complete/);
    await page.getByTestId('share-run-1').click();
    await page.getByTestId('share-estimate').waitFor({ timeout: 30_000 });
    sharedUrl = await page.getByTestId('share-url').inputValue();
    expect(sharedUrl.startsWith(`${baseUrl}open#r1.`)).toBe(true);
    originalEstimates = await page.getByTestId('share-estimate').getByTestId('estimate-full').allInnerTexts();
    expect(originalEstimates.length).toBe(3); // three active arms against placebo
    for (const e of originalEstimates) expect(Number.isFinite(Number(e))).toBe(true);
    const header = page.getByTestId('storage-kept');
    expect(await header.innerText()).toMatch(/kept \(persistent\)|may be evicted/);

    // The whole workspace as one file.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('workspace-export').click()
    ]);
    workspaceFile = `${ARTIFACTS}workspace.twinbench`;
    await file.saveAs(workspaceFile);
    expect(statSync(workspaceFile).size).toBeGreaterThan(10_000);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${ARTIFACTS}home-1280.png`, fullPage: true });
    expect(await noOverflow(page)).toBeLessThanOrEqual(1280);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${ARTIFACTS}home-390.png`, fullPage: true });
    expect(await noOverflow(page)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });

  it('opens the link in a fresh browser profile and reproduces the primary estimate to the last digit', async () => {
    expect(sharedUrl).not.toBe('');
    const fresh = await launchChromium();
    try {
      const other = await fresh.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      other.on('pageerror', (e) => errors.push(e.message));
      await other.goto(sharedUrl);
      const summary = other.getByTestId('open-summary');
      await summary.waitFor({ timeout: 30_000 });
      expect(await summary.innerText()).toMatch(/Antihypertensive dose-ranging[\s\S]*200[\s\S]*4242/);
      await other.waitForFunction(
        () => !document.querySelector('[data-testid=open-run]')?.hasAttribute('disabled')
      );
      await other.getByTestId('open-run').click();
      const estimate = other.getByTestId('open-estimate');
      await estimate.waitFor({ timeout: 90_000 });
      expect(await estimate.getByTestId('estimate-full').allInnerTexts()).toEqual(originalEstimates);
      await other.screenshot({ path: `${ARTIFACTS}open-1280.png`, fullPage: true });
      await other.setViewportSize({ width: 390, height: 844 });
      await other.screenshot({ path: `${ARTIFACTS}open-390.png`, fullPage: true });
      expect(await noOverflow(other)).toBeLessThanOrEqual(390);

      // A damaged link says so instead of running anything.
      await other.goto(`${sharedUrl.slice(0, -12)}`);
      await other.reload();
      const error = other.getByTestId('open-error');
      await error.waitFor({ timeout: 30_000 });
      expect(await error.innerText()).toMatch(/This link cannot be opened: the link is damaged/);
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('opens the exported workspace file in a fresh profile: the run is there with the same estimates', async () => {
    expect(workspaceFile).not.toBe('');
    const fresh = await launchChromium();
    try {
      const other = await fresh.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      other.on('pageerror', (e) => errors.push(e.message));
      other.on('dialog', (d) => void d.accept());
      await other.goto(baseUrl);
      await other.getByTestId('recent').getByText('No runs yet').waitFor({ timeout: 30_000 });
      // A file that is not a workspace is refused with a message.
      await other.getByTestId('workspace-import').setInputFiles({
        name: 'notes.twinbench',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('PAR1 something else')
      });
      await expect
        .poll(() => other.getByTestId('workspace-message').innerText())
        .toMatch(/notes\.twinbench was not opened: this is not a Twinbench workspace file/);
      await other.getByTestId('workspace-import').setInputFiles(workspaceFile);
      await expect
        .poll(() => other.getByTestId('workspace-message').innerText(), { timeout: 30_000 })
        .toMatch(/Opened workspace\.twinbench: \d+ tables/);
      const runs = other.getByTestId('recent-runs');
      await runs.waitFor({ timeout: 30_000 });
      expect(await runs.innerText()).toMatch(/#1 Antihypertensive dose-ranging[^\n]*200 twins · complete/);
      await other.getByTestId('share-run-1').click();
      const estimate = other.getByTestId('share-estimate');
      await estimate.waitFor({ timeout: 30_000 });
      expect(await estimate.getByTestId('estimate-full').allInnerTexts()).toEqual(originalEstimates);
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
