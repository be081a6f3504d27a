import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateImportFile, type GroundTruth } from '../../bench/import/generate.js';
import { ARTIFACTS, startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import type { ServedTestApp } from '../helpers/serve-test-app.js';
import type { TestApp } from '../helpers/test-app.js';

/**
 * A million-row spreadsheet export uploaded through the import page, as staff would: the bar moves
 * while the server files the rows, and the report that follows agrees with the generator's truth.
 */
const ROWS = 1_000_000;

let app: BrowserTestApp | undefined;
let t: TestApp;
let served: ServedTestApp;
let browser: Browser;
let dir: string;
let file: string;
let truth: GroundTruth;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'console-upload-'));
  file = path.join(dir, 'contacts-1m.csv');
  [app, truth] = await Promise.all([startBrowserTestApp(), generateImportFile(file, ROWS)]);
  ({ t, served, browser } = app);
}, 120_000);
afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a 1,000,000-row upload through the import page', () => {
  it('when staff upload it, then the progress bar advances while it runs and the report matches the ground truth', { timeout: 300_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const scriptErrors: string[] = [];
    context.on('page', (opened) => opened.on('pageerror', (error) => scriptErrors.push(error.message)));
    const page = await context.newPage();

    await page.goto(`${served.base}/sign-in?next=%2Fimports`);
    await page.getByLabel('API key').fill(t.keys.staff);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/imports$/);
    await page.getByLabel('Use the file’s category column (category or kategori)').check();
    await page.getByLabel('CSV file').setInputFiles(file);

    const started = performance.now();
    await page.getByRole('button', { name: 'Upload and import' }).click();
    // Sample the bar as a person would watch it, until the report page replaces the form.
    const seen: number[] = [];
    const messages = new Set<string>();
    let screenshotTaken = false;
    let watcher: Page | undefined;
    while (!/\/imports\/\d+$/.test(page.url())) {
      const sample = await page
        .evaluate(() => ({
          value: (document.getElementById('upload-progress') as HTMLProgressElement | null)?.value ?? null,
          message: document.getElementById('upload-message')?.textContent ?? '',
        }))
        .catch(() => null); // the page navigated away between two samples
      if (sample?.value !== null && sample?.value !== undefined && seen[seen.length - 1] !== sample.value) seen.push(sample.value);
      if (sample?.message) messages.add(sample.message);
      if (!screenshotTaken && sample && sample.value !== null && sample.value > 30 && sample.value < 90) {
        await page.screenshot({ path: path.join(ARTIFACTS, 'console-upload-progress.png') });
        screenshotTaken = true;
        // Meanwhile, in another tab: the running import is in the history, and its report page follows it.
        watcher = await context.newPage();
        await watcher.goto(`${served.base}/imports`);
        const running = watcher.locator('table.history tbody tr', { hasText: 'Running' });
        expect(await running.innerText()).toContain('contacts-1m.csv');
        await running.getByRole('link').click();
        await watcher.locator('[data-running-import] progress').waitFor();
      }
      await page.waitForTimeout(100);
    }
    await page.locator('.report-counts').waitFor();
    const seconds = (performance.now() - started) / 1000;

    const between = seen.filter((value) => value > 0 && value < 100);
    expect(between.length, `progress values seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(5);
    // The bar only moves forward.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // The server's own count of rows read came through while it ran.
    expect([...messages].some((message) => /[\d,]+ rows read so far/.test(message))).toBe(true);

    const count = async (label: string) => Number(((await page.locator(`[data-count="${label}"] .count-value`).textContent()) ?? '').replace(/,/g, ''));
    expect(await count('inserted')).toBe(truth.distinct_valid);
    expect(await count('duplicates in file')).toBe(truth.duplicates_in_file);
    expect(await count('invalid')).toBe(truth.invalid);
    expect(await count('already present')).toBe(0);
    expect(await count('moved')).toBe(0);
    expect(await page.locator('table.rejections tbody tr').count()).toBe(100);
    expect(await page.locator('.report').innerText()).toContain(`The first 100 of ${truth.invalid.toLocaleString('en-US')} rejected rows.`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-upload-1m-report.png'), fullPage: true });
    expect(watcher, 'the upload ended before the bar passed 30 %').toBeDefined();
    // The other tab's report page reloaded itself when the import ended.
    await watcher!.locator('.report-counts').waitFor({ timeout: 10_000 });
    expect(await watcher!.locator('[data-count="inserted"] .count-value').textContent()).toBe(truth.distinct_valid.toLocaleString('en-US'));
    expect(scriptErrors).toEqual([]);

    const size = (await stat(file)).size;
    console.log(
      `1M-row upload through the page: ${(size / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(1)} s; ` +
        `${seen.length} distinct bar values, ${between.length} between 0 and 100`,
    );
    await context.close();
  });
});
