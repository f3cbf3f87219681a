import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, launched as this machine's network allows (no background traffic).
 * Playwright gives every launch a fresh, empty profile directory. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
}

/** A fresh browser and a desktop-sized page that records page errors, for one suite. */
export async function openPage(): Promise<{ browser: Browser; page: Page; pageErrors: string[] }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, page, pageErrors };
}

/**
 * Screenshots of the page at 1280×800 and 390×844 (`<dir><name>-1280.png`, `-390.png`),
 * failing when the phone-sized page scrolls sideways (naming the first elements that
 * stick out); the page is left at 1280×800.
 */
export async function screenshotsAt(page: Page, dir: string, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${dir}${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 391)
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className}`)
  );
  const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  await page.screenshot({ path: `${dir}${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  if (width > 390)
    throw new Error(`${name} scrolls sideways at 390 px (${width} px wide): ${wide.join(', ')}`);
}
