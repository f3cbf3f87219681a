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
