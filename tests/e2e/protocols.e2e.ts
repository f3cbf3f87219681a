import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const PROTOCOL = 'antihypertensive-dose-ranging.yaml';

describe.skipIf(!inject('chromium'))('Protocols and Runs pages in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
    // Leaving with unsaved edits asks first (tested in keep-work.e2e.ts): these tests leave.
    page.on('dialog', (d) => void d.accept());
  });
  afterAll(async () => {
    await browser?.close();
  });

  const runEnabled = () =>
    page.waitForFunction(() => {
      const b = document.querySelector('[data-testid=run]');
      return b && !b.hasAttribute('disabled');
    });

  it('previews the antihypertensive protocol, runs 200 twins and shows the run after a reload', async () => {
    await page.goto(`${baseUrl}protocols`);
    await runEnabled();
    await page.getByTestId('protocol-file').selectOption(PROTOCOL);

    // Previews: a dosing timeline and one profile panel per model output, each with lines.
    const timeline = page.locator('figure[aria-label="dosing timeline"] svg');
    await timeline.first().waitFor();
    expect(await timeline.first().locator('line').count()).toBeGreaterThan(50);
    const profiles = page.locator('figure[aria-label^="profile of"]');
    await expect.poll(() => profiles.count()).toBeGreaterThanOrEqual(2);
    for (const output of ['C', 'E']) {
      const lines = page.locator(`figure[aria-label="profile of ${output}"] svg path`);
      await expect.poll(() => lines.count()).toBeGreaterThanOrEqual(4);
    }
    expect(await page.locator('figure[aria-label="profile of C"]').innerText()).toContain('C (mg/L)');
    await page.screenshot({ path: `${ARTIFACTS}protocols-preview.png`, fullPage: true });

    await page.getByTestId('run-n').fill('200');
    await expect.poll(() => page.getByTestId('run').innerText()).toContain('200 twin');
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 90_000 });
    await page.screenshot({ path: `${ARTIFACTS}protocols-run-done.png`, fullPage: true });

    await page.getByTestId('run-link').click();
    await page.waitForURL(/\/runs\?run=\d+/);
    await page.reload();
    const list = page.getByTestId('run-list');
    await list.waitFor({ timeout: 30_000 });
    expect(await list.innerText()).toMatch(/Antihypertensive dose-ranging[^\n]*\s+200\s+1\s+complete/);

    const summary = page.getByTestId('endpoint-summary');
    await summary.waitFor({ timeout: 30_000 });
    const text = await summary.innerText();
    expect(text).toMatch(/sbp_change_w12\s+placebo\s+\d+/);
    expect(text).toMatch(/10 mg\s+\d+\s+\d+\s+0\s+-?[\d.]+ ± [\d.]+/);
    expect(text).toContain('responder_w12');
    // n per arm adds up to the 200 twins, per endpoint.
    const ns = await summary
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => Number(r.querySelectorAll('td')[1].textContent!.replace(/,/g, '')))
      );
    expect(ns.reduce((a, b) => a + b, 0)).toBe(400);
    await expect
      .poll(() => page.locator('figure[aria-label="observed mean of E"] svg circle').count())
      .toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: `${ARTIFACTS}runs-after-reload.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('cancels a large run and lists it as cancelled with its error', async () => {
    await page.goto(`${baseUrl}protocols`);
    await runEnabled();
    await page.getByTestId('protocol-file').selectOption(PROTOCOL);
    await page.getByTestId('run-n').fill('500000');
    await expect.poll(() => page.getByTestId('run').innerText()).toContain('500,000');
    await page.getByTestId('run').click();
    await page.getByTestId('run-progress').waitFor();
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}protocols-running.png` });
    await page.getByTestId('cancel').click();
    const error = page.getByTestId('run-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.innerText()).toMatch(/Run #\d+ cancelled/);

    await page.locator('header nav a', { hasText: 'Runs' }).click();
    const list = page.getByTestId('run-list');
    await list.waitFor({ timeout: 30_000 });
    const row = list.locator('tbody tr', { hasText: 'cancelled' }).first();
    expect(await row.innerText()).toMatch(/500,000\s+1\s+cancelled/);
    expect(await row.locator('td.status').getAttribute('title')).toBe('cancelled');
    await row.locator('a').click();
    await page.getByTestId('run-status').waitFor();
    expect(await page.getByTestId('run-status').innerText()).toContain('cancelled');
    await page.screenshot({ path: `${ARTIFACTS}runs-cancelled.png` });
    expect(pageErrors).toEqual([]);
  });

  it('runs with dense profiles and draws individual twins on the run page', async () => {
    await page.goto(`${baseUrl}protocols`);
    await runEnabled();
    const files = await page.getByTestId('protocol-file').locator('option').allInnerTexts();
    expect(files).not.toContain('bm1.yaml'); // its cohort imports a CSV file: CLI only
    await page.getByTestId('protocol-file').selectOption(PROTOCOL);
    // The protocol stores visits only; this run asks for daily profiles.
    const dense = page.getByTestId('run-dense');
    expect(await dense.inputValue()).toBe('');
    await dense.fill('0d');
    await expect.poll(() => page.getByTestId('run').isDisabled()).toBe(true);
    await dense.fill('1d');
    await page.getByTestId('run-n').fill('40');
    await expect.poll(() => page.getByTestId('run').isEnabled()).toBe(true);
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 90_000 });
    await page.getByTestId('run-link').click();
    await page.waitForURL(/\/runs\?run=\d+/);
    // One line per twin: 10 twins in each of the 4 arms, per output.
    const panel = page.locator('figure[aria-label="individual profiles of E"]');
    await panel.waitFor({ timeout: 30_000 });
    await expect.poll(() => panel.locator('svg g[aria-label="line"] path').count()).toBe(40);
    // Means on the daily grid: 85 days per arm, drawn as lines without visit dots.
    const means = page.locator('figure[aria-label="observed mean of E"] svg');
    expect(await means.locator('circle').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}runs-dense.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a bad dose at its line and refuses to run', async () => {
    await page.goto(`${baseUrl}protocols`);
    await runEnabled();
    await page.getByTestId('protocol-file').selectOption(PROTOCOL);
    const text = page.getByTestId('protocol-text');
    const yaml = readFileSync(new URL(`../../protocols/${PROTOCOL}`, import.meta.url), 'utf8');
    const line = yaml.split('\n').findIndex((l) => l.includes('dose: 5,')) + 1;
    await text.fill(yaml.replace('dose: 5,', 'dose: -5,'));
    const issues = page.getByTestId('protocol-issues');
    await issues.waitFor();
    expect(await issues.innerText()).toContain(
      `line ${line} arms[2].regimen.dose: a dose must not be negative`
    );
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    expect(await page.locator('.cm-lineNumbers .bad').innerText()).toBe(String(line));
    await page.screenshot({ path: `${ARTIFACTS}protocols-error.png` });
    expect(pageErrors).toEqual([]);
  });
});
