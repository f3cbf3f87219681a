import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage, screenshotsAt } from './browser';

/**
 * One twin's story: the type 2 diabetes estimands protocol (missed doses, discontinuation)
 * run in the page, twin 3 opened from the Runs page's lookup, its doses, profile, events
 * and endpoints shown, a second twin compared beside it, and the run downloaded as a
 * NONMEM dataset. Screenshots at 1280×800 and 390×844, no sideways scrolling on a phone.
 */
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const N = 60;

describe("one twin's story", () => {
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

  it('shows a twin’s doses, profile and events, compares two twins, and exports the NONMEM dataset', async () => {
    await page.goto(`${baseUrl}protocols`);
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid=run]');
      return b && !b.hasAttribute('disabled');
    });
    await page.getByTestId('protocol-file').selectOption('type2-diabetes-estimands.yaml');
    await page.getByTestId('run-n').fill(String(N));
    await expect.poll(() => page.getByTestId('run').innerText()).toContain(`${N} twin`);
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 180_000 });
    await page.getByTestId('run-link').click();
    await page.waitForURL(/\/runs\?run=\d+/);
    const runId = Number(new URL(page.url()).searchParams.get('run'));

    // From the Runs page's lookup field to twin 3's story.
    const lookup = page.getByTestId('twin-lookup');
    await lookup.getByLabel('Look up a twin').fill('3');
    await lookup.getByRole('button', { name: 'Open its story' }).click();
    await page.waitForURL(new RegExp(`/twin\\?run=${runId}&twin=3$`));
    const story = page.getByTestId('twin-story');
    await story.first().waitFor({ timeout: 30_000 });
    expect(await story.count()).toBe(1);
    expect(await story.locator('h2').innerText()).toBe('Twin 3');
    expect(await story.locator('table caption').first().innerText()).toBe('Covariates of twin 3');
    expect(await story.locator('table').first().innerText()).toMatch(/weight \(kg\)\s+[\d.]+/);

    // Doses given and missed (daily for 24 weeks), a profile plot per observed output.
    const summary = await story.getByTestId('twin-dose-summary').first().innerText();
    const [, given, missed] = summary.match(/^(\d+) doses? given, (\d+) missed$/)!.map(Number);
    expect(given + missed).toBeLessThanOrEqual(24 * 7);
    const arm = await story.getByTestId('twin-arm').first().locator('h3').innerText();
    expect(arm).toMatch(/^(placebo|100 mg|200 mg) \(randomised arm\)$/);
    if (arm.startsWith('placebo')) expect(given).toBe(0);
    else expect(given).toBeGreaterThan(0);
    const profiles = story.getByTestId('twin-profile');
    await profiles.first().locator('svg').first().waitFor();
    expect(await profiles.count()).toBeGreaterThan(0);
    expect(await profiles.first().locator('figcaption').innerText()).toContain('doses given');
    expect(await story.getByTestId('twin-events').first().innerText()).toMatch(
      /^(Events: .+\.|No dropout.*)$/
    );
    expect(await story.getByTestId('twin-endpoints').first().locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshotsAt(page, ARTIFACTS, 'twin-story');

    // A treated twin whose treatment was discontinued shows the reason among its events.
    await page.goto(`${baseUrl}twin?run=${runId}&twin=1`);
    let withEvent = 0;
    for (let id = 1; id <= N && !withEvent; id++) {
      await page.getByTestId('twin-id').fill(String(id));
      await page.getByTestId('twin-show').click();
      await expect.poll(() => story.locator('h2').innerText()).toBe(`Twin ${id}`);
      const events = await story.getByTestId('twin-events').first().innerText();
      const doses = await story.getByTestId('twin-dose-summary').first().innerText();
      if (events.includes('discontinuation (') && !doses.startsWith('0 ')) withEvent = id;
    }
    expect(withEvent).toBeGreaterThan(0);
    const treated = await story.getByTestId('twin-dose-summary').first().innerText();
    expect(Number(treated.split(' ')[0])).toBeGreaterThan(0);
    await screenshotsAt(page, ARTIFACTS, 'twin-discontinued');

    // Two twins side by side.
    await page.getByTestId('twin-id').fill('3');
    await page.getByTestId('compare-id').fill(String(withEvent === 3 ? 4 : withEvent));
    await page.getByTestId('twin-show').click();
    await expect.poll(() => story.count()).toBe(2);
    expect(await story.locator('h2').allInnerTexts()).toEqual([
      'Twin 3',
      `Twin ${withEvent === 3 ? 4 : withEvent}`
    ]);
    await screenshotsAt(page, ARTIFACTS, 'twin-compare');

    // The run as a NONMEM dataset, and the table naming its CMT numbers.
    const [dataset, cmt] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.cmt.csv')),
      page.getByTestId('nonmem-export').click()
    ]);
    expect(dataset.suggestedFilename()).toBe(`run-${runId}-nonmem.csv`);
    const lines = readFileSync((await dataset.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^ID,TIME,AMT,DV,EVID,MDV,CMT,RATE,SS,II,BLQ,LLOQ,ARM,/);
    const ids = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    expect(ids.size).toBe(N);
    // A dose row of the treated twin found above.
    expect(lines.some((l) => new RegExp(`^${withEvent},[\\d.]+,[\\d.]+,,1,1,1,`).test(l))).toBe(true);
    expect(readFileSync((await cmt.path())!, 'utf8')).toMatch(/^CMT,EVID,kind,name\n1,1,dose,/);
    expect(pageErrors).toEqual([]);
  });

  it('names a twin that is not in the run', async () => {
    await page.goto(`${baseUrl}twin?run=1&twin=${N + 5}`);
    await expect
      .poll(() => page.getByTestId('twin-error').innerText(), { timeout: 30_000 })
      .toContain(`twin must be a whole number from 1 to ${N}`);
  });
});
