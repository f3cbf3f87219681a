import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

describe.skipIf(!inject('chromium'))('Cohorts page in Chromium', () => {
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

  const generateEnabled = () =>
    page.waitForFunction(() => {
      const b = document.querySelector('[data-testid=generate]');
      return b && !b.hasAttribute('disabled');
    });

  it('generates 1,000 twins from a shipped file, shows Table 1 and plots, and keeps them after a reload', async () => {
    await page.goto(`${baseUrl}cohorts`);
    await generateEnabled();
    await page.getByTestId('spec-file').selectOption('adults-nhanes.yaml');
    await page.getByTestId('spec-n').fill('1000');
    await page.getByTestId('spec-n').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('generate').innerText()).toContain('1,000');
    await page.getByTestId('generate').click();

    const table = page.getByTestId('table1');
    await table.waitFor({ timeout: 60_000 });
    const nRow = await table.locator('tbody tr').first().innerText();
    expect(nRow).toMatch(/^n\s+1000$/);
    await expect.poll(() => page.locator('[data-testid=histograms] svg').count()).toBeGreaterThan(3);
    expect(await page.locator('figure[aria-label=scatter] svg circle').count()).toBeGreaterThan(500);
    await page.screenshot({ path: `${ARTIFACTS}cohorts-generated.png`, fullPage: true });

    await page.reload();
    const list = page.getByTestId('cohort-list');
    await list.waitFor({ timeout: 30_000 });
    expect(await list.innerText()).toMatch(
      /US adults \(NHANES-like anthropometrics\)\s+1,000\s+20260101\s+complete/
    );
    await page.getByTestId('table1').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS}cohorts-after-reload.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows spec errors at their line and refuses to generate', async () => {
    await page.goto(`${baseUrl}cohorts`);
    await generateEnabled();
    const text = page.getByTestId('spec-text');
    const file = await page.getByTestId('spec-file').inputValue();
    const yaml = readFileSync(new URL(`../../cohorts/${file}`, import.meta.url), 'utf8').replace(
      'sd: 7.1',
      'sd: -7.1'
    );
    await text.fill(yaml);
    const issues = page.getByTestId('spec-issues');
    await issues.waitFor();
    expect(await issues.innerText()).toMatch(
      /line \d+\s+covariates\[2\]\.distribution\.F\.sd: must be greater than 0/
    );
    expect(await page.getByTestId('generate').isDisabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}cohorts-spec-error.png` });
  });
});
