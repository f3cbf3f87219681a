import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const baseUrl = inject('baseUrl');
const PROTOCOL = 'antihypertensive-dose-ranging.yaml';
const protocolYaml = readFileSync(new URL(`../../protocols/${PROTOCOL}`, import.meta.url), 'utf8');

describe.skipIf(!inject('chromium'))('Keeping work: saved protocols and cohort specs in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  /** Dialogs seen, and how the next confirm is answered (prompts get `promptAnswer`). */
  let dialogs: { type: string; message: string }[] = [];
  let acceptConfirm = true;
  let promptAnswer = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, page, pageErrors } = await openPage());
    page.on('dialog', (d: Dialog) => {
      dialogs.push({ type: d.type(), message: d.message() });
      if (d.type() === 'prompt') void d.accept(promptAnswer);
      else if (d.type() === 'beforeunload' || acceptConfirm) void d.accept();
      else void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const databaseOpen = () =>
    page.locator('header .storage', { hasText: 'Stored in this browser' }).waitFor({ timeout: 30_000 });
  const armName = (i: number) => page.getByLabel(`arm ${i} name`);

  it('saves a protocol edited in the form, and it is still there after a reload', async () => {
    await page.goto(`${baseUrl}protocols`);
    await databaseOpen();
    await page.getByTestId('protocol-file').selectOption(PROTOCOL);
    expect(await page.getByTestId('protocol-dirty').count()).toBe(0);
    await armName(2).fill('low dose');
    await armName(2).dispatchEvent('change');
    await page.getByTestId('protocol-dirty').waitFor();
    await page.getByTestId('protocol-name').fill('my dose ranging');
    await page.getByTestId('protocol-save').click();
    await expect
      .poll(() => page.getByTestId('protocol-message').innerText())
      .toBe("Saved as 'my dose ranging'.");
    expect(await page.getByTestId('protocol-dirty').count()).toBe(0);
    const saved = page.getByTestId('protocol-saved');
    expect(await saved.innerText()).toMatch(/my dose ranging\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

    await page.reload();
    await databaseOpen();
    await saved.waitFor();
    expect(await armName(2).inputValue()).toBe('2.5 mg');
    await page.getByRole('button', { name: 'open protocol my dose ranging' }).click();
    await expect.poll(() => armName(2).inputValue()).toBe('low dose');
    expect(await page.getByTestId('protocol-name').inputValue()).toBe('my dose ranging');
    expect(await page.getByTestId('protocol-dirty').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the last valid form, marked stale, with the problems beside it while the YAML is invalid', async () => {
    const text = page.getByTestId('protocol-text');
    await text.fill(protocolYaml.replace('dose: 5,', 'dose: -5,').replace('visits: [0,', 'visits: [0,,'));
    const issues = page.getByTestId('protocol-issues');
    await issues.waitFor();
    await page.getByTestId('protocol-stale').waitFor();
    expect(await page.getByTestId('protocol-form').isVisible()).toBe(true);
    expect(await armName(3).inputValue()).toBe('5 mg');
    expect(await armName(3).isDisabled()).toBe(true);
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}keep-work-stale.png` });

    // Fixed: the form is live again.
    await text.fill(protocolYaml);
    await page.getByText('✓ valid protocol').waitFor();
    expect(await page.getByTestId('protocol-stale').count()).toBe(0);
    expect(await armName(3).isDisabled()).toBe(false);
  });

  it('rebalances the allocation when an arm is removed', async () => {
    await page.getByRole('button', { name: 'remove arm 4 (10 mg)' }).click();
    await expect
      .poll(() => page.getByTestId('allocation-note').innerText())
      .toBe("Removed arm 4: ratio 1:1:1:1 → 1:1:1; block size 8 → 6 (a multiple of the new ratio's sum 3).");
    await page.getByText('✓ valid protocol').waitFor();
    expect(await armName(4).count()).toBe(0);
  });

  it('warns before leaving with unsaved edits, in the app and on reload', async () => {
    dialogs = [];
    acceptConfirm = false;
    await page.locator('header nav a', { hasText: 'Runs' }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toEqual({
      type: 'confirm',
      message: "The protocol 'my dose ranging' has edits not saved in the workspace. Leave this page anyway?"
    });
    expect(new URL(page.url()).pathname).toBe('/protocols');

    acceptConfirm = true;
    await page.reload();
    expect(dialogs.map((d) => d.type)).toEqual(['confirm', 'beforeunload']);
    await databaseOpen();
  });

  it('downloads the YAML and reads it back by upload', async () => {
    await page.getByTestId('protocol-saved').waitFor();
    await page.getByRole('button', { name: 'open protocol my dose ranging' }).click();
    await expect.poll(() => armName(2).inputValue()).toBe('low dose');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('protocol-download').click()
    ]);
    expect(download.suggestedFilename()).toBe('my-dose-ranging.yaml');
    const path = `${ARTIFACTS}my-dose-ranging.yaml`;
    await download.saveAs(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('name: low dose');
    expect(text).not.toContain('name: 2.5 mg');

    await page.getByTestId('protocol-file').selectOption(PROTOCOL);
    expect(await armName(2).inputValue()).toBe('2.5 mg');
    await page.getByTestId('protocol-upload').setInputFiles(path);
    await expect.poll(() => armName(2).inputValue()).toBe('low dose');
    expect(await page.getByTestId('protocol-name').inputValue()).toBe('my-dose-ranging');
    expect(await page.getByTestId('protocol-message').innerText()).toBe(
      'Read my-dose-ranging.yaml: save it to keep it in the workspace.'
    );
    // Not saved yet: the upload counts as an unsaved edit.
    await page.getByTestId('protocol-dirty').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('renames and deletes a saved protocol, asking first and naming it', async () => {
    await page.getByTestId('protocol-save').click();
    await expect.poll(() => page.getByTestId('protocol-saved').locator('tbody tr').count()).toBe(2);
    dialogs = [];
    promptAnswer = 'three arms';
    await page.getByRole('button', { name: 'rename protocol my-dose-ranging' }).click();
    await expect
      .poll(() => page.getByTestId('protocol-message').innerText())
      .toBe("Renamed 'my-dose-ranging' to 'three arms'.");
    acceptConfirm = false;
    await page.getByRole('button', { name: 'delete protocol three arms' }).click();
    await expect.poll(() => dialogs.length).toBe(2);
    expect(dialogs[1].message).toBe("Delete the saved protocol 'three arms'? This cannot be undone.");
    expect(await page.getByTestId('protocol-saved').locator('tbody tr').count()).toBe(2);
    acceptConfirm = true;
    await page.getByRole('button', { name: 'delete protocol three arms' }).click();
    await expect.poll(() => page.getByTestId('protocol-saved').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('protocol-saved').innerText()).toContain('my dose ranging');
  });

  it('saves a cohort spec and deletes a stored cohort only after asking', async () => {
    await page.goto(`${baseUrl}cohorts`);
    await databaseOpen();
    await page.getByTestId('spec-n').fill('300');
    await page.getByTestId('spec-n').dispatchEvent('change');
    await page.getByTestId('spec-dirty').waitFor();
    await page.getByTestId('spec-name').fill('small adults');
    await page.getByTestId('spec-save').click();
    await expect.poll(() => page.getByTestId('spec-message').innerText()).toBe("Saved as 'small adults'.");
    await page.getByTestId('generate').click();
    const list = page.getByTestId('cohort-list');
    await expect.poll(() => list.innerText(), { timeout: 60_000 }).toMatch(/300\s+\d+\s+complete/);

    await page.reload();
    await databaseOpen();
    await page.getByRole('button', { name: 'open cohort spec small adults' }).click();
    await expect.poll(() => page.getByTestId('spec-n').inputValue()).toBe('300');

    dialogs = [];
    acceptConfirm = false;
    const del = list.getByRole('button', { name: /^delete cohort \d+ / }).last();
    const rows = await list.locator('tbody tr').count();
    await del.click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0].message).toMatch(
      /^Delete cohort #\d+ '.+' and its 300 twins\? This cannot be undone\.$/
    );
    expect(await list.locator('tbody tr').count()).toBe(rows);
    acceptConfirm = true;
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone and a laptop screen', async () => {
    for (const path of ['protocols', 'cohorts']) {
      await page.goto(`${baseUrl}${path}`);
      await databaseOpen();
      for (const [width, height] of [
        [1280, 800],
        [390, 844]
      ]) {
        await page.setViewportSize({ width, height });
        await page.getByTestId(path === 'protocols' ? 'protocol-saved' : 'spec-saved').waitFor();
        await page.screenshot({ path: `${ARTIFACTS}keep-work-${path}-${width}.png` });
        expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
      }
      await page.setViewportSize({ width: 1500, height: 1100 });
    }
    expect(pageErrors).toEqual([]);
  });
});
