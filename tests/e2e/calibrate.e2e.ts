import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');

describe.skipIf(!inject('chromium'))('Calibrate page in Chromium', () => {
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

  /** The page opens the workspace's database for its saved models: let it finish first. */
  const databaseOpen = (p: Page) =>
    p.locator('header .storage', { hasText: 'Stored in this browser' }).waitFor({ timeout: 30_000 });

  /** Loads the worked example and waits for its fit and recommendation. */
  async function workedExample(p: Page) {
    await p.goto(`${baseUrl}calibrate`);
    await databaseOpen(p);
    await p.getByTestId('worked-example').click();
    await p.locator('figure[aria-label="fit of C"] g[aria-label="line"]').first().waitFor();
    await p.getByTestId('recommendation').waitFor();
  }

  it('fits the worked example, shows the parameters and recommends a regimen', async () => {
    await workedExample(page);
    const fit = page.locator('figure[aria-label="fit of C"]');
    // The band, the population and individual predictions, the two levels, the four doses.
    expect(await fit.locator('g[aria-label="area"] path').count()).toBe(1);
    expect(await fit.locator('g[aria-label="line"] path').count()).toBe(2);
    expect(await fit.locator('g[aria-label="dot"] circle').count()).toBe(2);
    expect(await fit.locator('g[aria-label="rule"] line').count()).toBe(4);
    expect(await fit.innerText()).toContain('individual prediction');

    const table = await page.getByTestId('parameter-table').innerText();
    expect(table).toContain('CL (L/h)');
    expect(table).toContain('V (L)');
    // The typical child of 20 kg: CL = 6 × (20/70)^0.75 = 2.34 L/h, V = 44.5 × 20/70 = 12.7 L.
    expect(table).toMatch(/CL \(L\/h\)\s+2\.34\s+2\.97\s+\+26\.6 %/);
    expect(table).toMatch(/V \(L\)\s+12\.7\s+10\.0\s+−21\.2 %/);
    expect(await page.getByTestId('fit-diagnostics').innerText()).toMatch(/^OFV 7\.84 .* converged/);
    expect(await page.getByTestId('observation-table').innerText()).toContain('IWRES');

    expect(await page.getByTestId('recommendation').innerText()).toMatch(
      /^Recommended: 17\.5 mg\/kg q6h \(350 mg over 1 h\): the smallest daily dose \(1400 mg\/day\) with P\(AUC of C over 0–24 h in 400–600\) ≥ 80 %/
    );
    expect(await page.getByTestId('comparison-table').locator('tbody tr').count()).toBe(6);
    expect(
      await page.locator('figure[aria-label="forecast of the regimens"] g[aria-label="area"] path').count()
    ).toBe(6);
    await page.screenshot({ path: `${ARTIFACTS}calibrate-worked-example.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a bad record as its line beside the data, and the fit as stale', async () => {
    await workedExample(page);
    const data = page.getByTestId('patient-data');
    const text = await data.inputValue();
    await data.fill(text.replace('1,20,.,.,25,0,0,1,20', '1,20,.,.,high,0,0,1,20'));
    const problems = page.getByTestId('data-problems');
    await expect
      .poll(() => problems.innerText())
      .toBe("line 6: column 'DV' holds 'high', which is not a number");
    expect(await page.getByTestId('fit').isDisabled()).toBe(true);
    expect(await page.getByTestId('fit-stale').count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}calibrate-bad-record.png` });
    await data.fill(text);
    await expect.poll(() => page.getByTestId('data-problems').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('fits a saved model with variability, marking a level below the quantification limit', async () => {
    const text = [
      'model my_vanco',
      'parameters',
      '  CL = 2.5 [L/h] "clearance"',
      '  V = 12 [L] "volume"',
      'variability',
      '  CL ~ lognormal(var = 0.1)',
      '  V ~ lognormal(var = 0.05)',
      'pk one_compartment(iv, CL = CL, V = V)',
      'outputs',
      '  C = C [mg/L] ~ proportional(0.1) "concentration"'
    ].join('\n');
    await page.goto(`${baseUrl}models`);
    await databaseOpen(page);
    await page.getByTestId('model-text').fill(text);
    await page.getByTestId('model-ok').waitFor();
    await page.getByTestId('save-model').click();
    await expect
      .poll(() => page.getByTestId('model-message').innerText(), { timeout: 30_000 })
      .toBe('Saved as my_vanco.');

    await page.goto(`${baseUrl}calibrate`);
    await databaseOpen(page);
    const choice = page.getByTestId('calibration-model');
    await expect.poll(() => choice.locator('option[value="saved:my_vanco"]').count()).toBe(1);
    await choice.selectOption('saved:my_vanco');
    await expect.poll(() => page.getByTestId('model-summary').innerText()).toContain('my_vanco');
    // With an LLOQ column and no BLQ column, a level below the limit is censored at it.
    const data = [
      'ID,TIME,AMT,RATE,DV,EVID,CMT,LLOQ,weight',
      '1,0,300,300,.,1,1,.,20',
      '1,2,.,.,18,0,1,1,20',
      '1,30,.,.,0.4,0,1,1,20'
    ].join('\n');
    await page.getByTestId('patient-data').fill(data);
    await page.getByTestId('fit').click();
    const fit = page.locator('figure[aria-label="fit of C"]');
    await fit.locator('g[aria-label="line"]').first().waitFor();
    expect(await fit.innerText()).toContain('below LLOQ (at the limit)');
    const dots = fit.locator('g[aria-label="dot"]');
    expect(await dots.nth(0).locator('circle').count()).toBe(1);
    expect(await dots.nth(1).locator('path').count()).toBe(1);
    expect(await page.getByTestId('observation-table').innerText()).toContain('< 1.00 (BLQ)');
    await page.getByTestId('recommendation').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}calibrate-saved-model.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  for (const [name, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 800 }]
  ] as const)
    it(`fits a ${name} screen (${viewport.width}×${viewport.height})`, async () => {
      const small = await browser.newPage({ viewport });
      await workedExample(small);
      // Nothing wider than the screen: no sideways scrolling (wide tables scroll inside their box).
      expect(await small.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(
        viewport.width
      );
      await small.screenshot({ path: `${ARTIFACTS}calibrate-${name}.png`, fullPage: true });
      // The fit and the comparison as they fill the screen.
      await small
        .locator('section[aria-label="fit"]')
        .screenshot({ path: `${ARTIFACTS}calibrate-${name}-fit.png` });
      await small
        .locator('section[aria-label="dose"]')
        .screenshot({ path: `${ARTIFACTS}calibrate-${name}-dose.png` });
      await small.close();
    });
});
