import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const MODELS = new URL('../../models/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

describe.skipIf(!inject('chromium'))('Models page in Chromium', () => {
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

  /**
   * The page's database is open (in OPFS). A page closed while duckdb-wasm is still
   * creating its file can leave the next page unable to write to it, so each test
   * lets the database open before it moves on.
   */
  const databaseOpen = () =>
    page.locator('header .storage', { hasText: 'Stored in this browser' }).waitFor({ timeout: 30_000 });

  /** The SVG path of an output's typical profile (its d attribute changes with the curve). */
  const curve = (output: string) =>
    page
      .locator(`figure[aria-label="typical profile of ${output}"] svg g[aria-label="line"] path`)
      .first()
      .getAttribute('d');

  it('previews a shipped model, shows a problem at its line:col while typing, and follows a slider', async () => {
    const text = readFileSync(`${MODELS}pk1cmt_oral_idr1.model`, 'utf8');
    await page.goto(`${baseUrl}models`);
    await databaseOpen();
    await page.getByTestId('model-source').selectOption('shipped:pk1cmt_oral_idr1.model');
    await expect.poll(() => page.getByTestId('model-ok').innerText()).toContain('pk1cmt_oral_idr1');
    for (const output of ['C', 'R']) await expect.poll(() => curve(output)).toBeTruthy();
    const before = await curve('R');

    // A typo in the right-hand side: reported where it is, in the list and in the text.
    const line = text.split('\n').findIndex((l) => l.includes('d/dt(R)')) + 1;
    const bad = text.replace('- KOUT * R\n', '- KOUTT * R\n');
    const col = bad.split('\n')[line - 1].indexOf('KOUTT') + 1;
    const editor = page.getByTestId('model-text');
    await editor.fill(bad);
    const problems = page.getByTestId('model-problems');
    await problems.waitFor();
    expect(await problems.innerText()).toBe(`${line}:${col} unknown name 'KOUTT'; did you mean 'KOUT'?`);
    expect(await page.locator('.cm-lineNumbers .cm-gutterElement.bad').innerText()).toBe(String(line));
    expect(await page.locator('.cm-lintRange-error').innerText()).toBe('KOUTT');
    await problems.getByRole('button').click();
    await page.screenshot({ path: `${ARTIFACTS}models-problem.png` });

    // Fixed: no problems; the profile is the model's again.
    await editor.fill(text);
    await page.getByTestId('model-ok').waitFor();
    expect(await page.getByTestId('model-problems').count()).toBe(0);
    expect(await page.locator('.cm-lineNumbers .bad').count()).toBe(0);
    await expect.poll(() => curve('R')).toBe(before);

    // Ten times the clearance: less drug, less inhibition, another response curve.
    await page.getByTestId('param-CL').fill('1000');
    await expect.poll(() => page.getByTestId('param-CL-value').inputValue()).toBe('50');
    await expect.poll(() => curve('R')).not.toBe(before);
    await page.getByTestId('reset-parameters').click();
    await expect.poll(() => curve('R')).toBe(before);

    // A regimen field that is not a time is named; the curve comes back when it is fixed.
    await page.getByTestId('dose-every').fill('daily');
    await expect
      .poll(() => page.getByTestId('profile-problem').innerText())
      .toContain('the dosing interval must be a time');
    await page.getByTestId('dose-every').fill('12h');
    await expect.poll(() => curve('R')).not.toBe(before);
    await page.getByTestId('dose-every').fill('24h');
    await expect.poll(() => curve('R')).toBe(before);
    expect(pageErrors).toEqual([]);
  });

  it('saves a model with the workspace, keeps it after a reload, and deletes it', async () => {
    const text = readFileSync(`${MODELS}pk1cmt_iv.model`, 'utf8').replace(
      'model pk1cmt_iv',
      'model my_iv_drug'
    );
    await page.goto(`${baseUrl}models`);
    await databaseOpen();
    await page.getByTestId('model-source').selectOption('shipped:pk1cmt_iv.model');
    await page.getByTestId('model-text').fill(text);
    await page.getByTestId('model-ok').waitFor();
    await page.getByTestId('save-model').click();
    // The first save opens the browser database: seconds, not milliseconds.
    await expect
      .poll(() => page.getByTestId('model-message').innerText(), { timeout: 30_000 })
      .toBe('Saved as my_iv_drug.');

    await page.reload();
    await databaseOpen();
    await expect
      .poll(() => page.getByTestId('model-source').locator('option[value="saved:my_iv_drug"]').count(), {
        timeout: 30_000
      })
      .toBe(1);
    await page.getByTestId('model-source').selectOption('saved:my_iv_drug');
    await expect.poll(() => page.getByTestId('model-ok').innerText()).toContain('my_iv_drug');
    await page.getByTestId('delete-model').click();
    await expect.poll(() => page.getByTestId('model-message').innerText()).toBe('Deleted my_iv_drug.');
    expect(await page.getByTestId('model-source').locator('option[value="saved:my_iv_drug"]').count()).toBe(
      0
    );
    expect(pageErrors).toEqual([]);
  });

  it('uses the model, with the values set by its sliders, in the protocol being edited', async () => {
    await page.goto(`${baseUrl}models`);
    await databaseOpen();
    await page.getByTestId('model-source').selectOption('shipped:pk1cmt_oral_emax.model');
    await page.getByTestId('model-ok').waitFor();
    await page.getByTestId('param-CL-value').fill('25');
    await page.getByTestId('param-CL-value').dispatchEvent('change');
    await page.getByTestId('use-in-protocol').click();
    await page.waitForURL(/\/protocols$/);
    const yaml = page.getByTestId('protocol-text');
    await expect.poll(() => yaml.innerText()).toContain('model pk1cmt_oral_emax');
    // The editor draws the lines in view: scroll to the lines after the model text.
    await page.locator('.cm-scroller').evaluate((el) => (el.scrollTop = 600));
    await expect.poll(() => yaml.innerText()).toContain('parameters: { CL: 25 }');
    // The shipped protocol's other model fields fit this model: it is valid and previews.
    await expect
      .poll(() => page.locator('figure[aria-label="profile of E"] svg path').count())
      .toBeGreaterThan(3);
    expect(await page.getByText('✓ valid protocol').count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}models-in-protocol.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a profile that is not finite as the statement that makes it so, not as a plot', async () => {
    await page.goto(`${baseUrl}models`);
    await databaseOpen();
    const text = ['model bad', 'parameters', '  K = 0.1 [1/h]', 'states', '  A(0) = 1', 'odes'];
    text.push('  d/dt(A) = -K * A', 'outputs', '  Y = log(A - 2)');
    await page.getByTestId('model-text').fill(text.join('\n'));
    await page.getByTestId('model-ok').waitFor();
    await expect
      .poll(() => page.getByTestId('profile-problem').innerText())
      .toBe("bad.model:9:7: output 'Y' is NaN at t=0 h (Y is NaN at t=0 h)");
    expect(await page.locator('figure[aria-label^="typical profile"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  for (const [name, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 800 }]
  ] as const)
    it(`fits a ${name} screen (${viewport.width}×${viewport.height})`, async () => {
      const small = await browser.newPage({ viewport });
      await small.goto(`${baseUrl}models`);
      await small.locator('figure[aria-label="typical profile of C"] svg').waitFor();
      // Nothing wider than the screen: no sideways scrolling.
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width
      );
      await small.screenshot({ path: `${ARTIFACTS}models-${name}.png`, fullPage: true });
      await small.close();
    });
});
