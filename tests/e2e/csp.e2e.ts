import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const PAGES = ['', 'cohorts', 'models', 'calibrate', 'protocols', 'runs', 'compare', 'power', 'help', 'sql'];

declare global {
  interface Window {
    cspViolations: string[];
  }
}

describe.skipIf(!inject('chromium'))('Content-Security-Policy: no request leaves the origin', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const outside: string[] = [];
  const consoleCsp: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
    const origin = new URL(baseUrl).origin;
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin)
        outside.push(url);
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
    });
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`)
      );
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const violations = () => page.evaluate(() => window.cspViolations);

  it('every page carries the policy, and the policy blocks a request to another origin', async () => {
    await page.goto(baseUrl);
    const policy = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    const outcome = await page.evaluate(() =>
      fetch('https://example.com/twinbench-csp-check').then(
        () => 'sent',
        () => 'blocked'
      )
    );
    expect(outcome).toBe('blocked');
    await expect.poll(violations).toEqual(['connect-src: https://example.com/twinbench-csp-check']);
    consoleCsp.length = 0;
    outside.length = 0;
  });

  it('loads every page and runs a trial with no request outside the origin and no violation', async () => {
    for (const path of PAGES) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main h1').first().waitFor();
      // Pages that use the database open duckdb-wasm (its worker and wasm from the origin).
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300); // late plots, workers and model compiles
      expect(await violations(), path).toEqual([]);
    }
    // A model text compiled with new Function ('unsafe-eval'), and a run on the worker pool.
    await page.goto(`${baseUrl}protocols`);
    await page.waitForFunction(() => !document.querySelector('[data-testid=run]')?.hasAttribute('disabled'));
    await page.getByTestId('run-n').fill('100');
    await expect.poll(() => page.getByTestId('run').innerText()).toContain('100 twin');
    await page.getByTestId('run').click();
    await page.getByTestId('run-done').waitFor({ timeout: 90_000 });
    await page.goto(`${baseUrl}compare`);
    await page.locator('figure svg').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS}csp-compare.png` });
    expect(await violations()).toEqual([]);
    expect(consoleCsp).toEqual([]);
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
