import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

describe.skipIf(!inject('chromium'))('SQL page in Chromium', () => {
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

  const databaseOpen = () =>
    page.locator('header .storage', { hasText: 'Stored in this browser' }).waitFor({ timeout: 30_000 });

  /** Replaces the query and runs it with Ctrl+Enter, as a user would. */
  async function runQuery(sql: string) {
    const editor = page.getByTestId('sql-text');
    await editor.fill(sql);
    await editor.press('Control+Enter');
  }

  const caption = () => page.getByTestId('sql-caption').innerText();

  it('refuses DELETE, runs and pages a SELECT over the workspace, and exports CSV and Parquet', async () => {
    // A cohort of 250 twins in the workspace, generated on the Cohorts page.
    await page.goto(`${baseUrl}cohorts`);
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid=generate]');
      return b && !b.hasAttribute('disabled');
    });
    await page.getByTestId('spec-file').selectOption('adults-nhanes.yaml');
    await page.getByTestId('spec-n').fill('250');
    await page.getByTestId('spec-n').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('generate').innerText()).toContain('250');
    await page.getByTestId('generate').click();
    await page.getByTestId('table1').waitFor({ timeout: 60_000 });

    // The cohort spec was edited and not saved: leaving the page asks first.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: 'SQL', exact: true }).click();
    await page.waitForURL(/\/sql$/);
    await databaseOpen();
    const schema = page.getByTestId('sql-schema');
    await expect.poll(() => schema.innerText(), { timeout: 30_000 }).toContain('twin');

    // A statement that writes is refused with its kind and what is allowed; nothing runs.
    await runQuery('DELETE FROM run');
    const error = page.getByTestId('sql-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(
      "DELETE statements are not run here: the SQL console only reads. It runs SELECT, WITH … SELECT, FROM …, VALUES, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN and PRAGMA table_info('table')."
    );
    expect(await page.getByTestId('sql-result').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}sql-refused.png` });
    await runQuery('DELETE FROM twin; SELECT 1');
    await expect.poll(() => error.innerText()).toMatch(/^The text holds 2 statements/);

    // The schema browser queries a table's first rows.
    await schema.locator('summary', { hasText: 'twin' }).first().click();
    await page.getByTestId('sql-select-twin').click();
    await expect.poll(caption).toBe('Rows 1–100 of 100');
    expect(await page.getByTestId('sql-error').count()).toBe(0);

    // A SELECT of all 250 twins, 100 to a page.
    await runQuery('SELECT twin_id, sex, age, weight\nFROM twin\nORDER BY twin_id');
    await expect.poll(caption).toBe('Rows 1–100 of 250');
    const grid = page.getByTestId('sql-result');
    expect(await grid.locator('thead th').allInnerTexts()).toEqual([
      '#',
      'twin_id INTEGER',
      'sex VARCHAR',
      'age DOUBLE',
      'weight DOUBLE'
    ]);
    expect(await grid.locator('tbody tr').count()).toBe(100);
    expect(await page.getByTestId('sql-page').innerText()).toBe('Page 1 of 3');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${ARTIFACTS}sql-1280.png` });

    await page.getByTestId('sql-next').click();
    await expect.poll(caption).toBe('Rows 101–200 of 250');
    expect(await grid.locator('tbody tr').first().locator('td').first().innerText()).toBe('101');
    await page.getByTestId('sql-next').click();
    await expect.poll(caption).toBe('Rows 201–250 of 250');
    expect(await grid.locator('tbody tr').count()).toBe(50);
    expect(await page.getByTestId('sql-next').isDisabled()).toBe(true);

    // The export is the whole result, not the page shown.
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('sql-export-csv').click()
    ]);
    expect(csvDownload.suggestedFilename()).toBe('query-result.csv');
    const csv = readFileSync((await csvDownload.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('twin_id,sex,age,weight');
    expect(csv).toHaveLength(251);
    expect(csv[1]).toMatch(/^1,[FM],\d+(\.\d+)?,\d+(\.\d+)?$/);

    const [parquetDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('sql-export-parquet').click()
    ]);
    const parquet = readFileSync((await parquetDownload.path())!);
    expect(parquet.length).toBeGreaterThan(1000);
    expect(parquet.subarray(0, 4).toString()).toBe('PAR1');

    // The twins are all still there.
    await runQuery('SELECT count(*) AS n FROM twin');
    await expect.poll(() => grid.locator('tbody td').first().innerText()).toBe('250');
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone: nothing overflows at 390 px, the grid scrolls inside its box', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}sql`);
    await databaseOpen();
    await runQuery('SELECT * FROM twin ORDER BY twin_id');
    await expect.poll(caption).toBe('Rows 1–100 of 250');
    const box = page.getByTestId('sql-result');
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth
    }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}sql-390.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
