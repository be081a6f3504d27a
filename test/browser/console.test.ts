import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { wordsIn } from '../../src/web/i18n/words.js';
import { ARTIFACTS, startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import { csvFile } from '../helpers/csv.js';
import { dashed, fileNumber, international, makeCategory, uniqueMobile } from '../helpers/factories.js';
import type { ServedTestApp } from '../helpers/serve-test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/** The staff console in a real headless Chromium: what a person sees and does, click by click. */
let app: BrowserTestApp | undefined;
let t: TestApp;
let served: ServedTestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startBrowserTestApp();
  ({ t, served, browser } = app);
});
afterAll(() => app?.close());

interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed scripts: a CSP refusal or a script error shows up here. */
  problems: string[];
}

async function openSession(viewport = { width: 1280, height: 900 }): Promise<Session> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  // Pages answered 4xx on purpose (a refused form) are not problems; a script, stylesheet or fetch that fails is.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded')) problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto(`${served.base}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('API key').fill(t.keys[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${served.base}/`);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

async function countOf(page: Page, label: string): Promise<number> {
  const text = await page.locator(`[data-count="${label}"] .count-value`).textContent();
  return Number((text ?? '').replace(/,/g, ''));
}

describe('the staff console in Chromium', () => {
  it('when staff upload a 4-row CSV with one invalid row and one duplicate, then they see 2 inserted, the invalid row in words, the duplicate counted, and download the errors', async () => {
    const { context, page, problems } = await openSession();
    await signIn(page, 'staff');
    await nav(page).getByRole('link', { name: 'Import' }).click();
    await page.waitForURL(/\/imports$/);

    const [budi, agus] = [uniqueMobile(), uniqueMobile()];
    // Budi's number again, written internationally: the duplicate.
    const csv = csvFile([['nama', 'phone'], ['Budi', dashed(budi)], ['Siti', '0812'], ['Agus', international(agus)], ['Budi again', international(budi)]]);
    await page.getByLabel('One category for the file:').check();
    await page.locator('#category').selectOption('Prospek');
    await page.getByLabel('CSV file').setInputFiles({ name: 'four-rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.locator('#drop-hint').textContent()).toContain('four-rows.csv');
    await page.getByRole('button', { name: 'Upload and import' }).click();

    await page.waitForURL(/\/imports\/\d+$/);
    await page.locator('.report-counts').waitFor();
    const counts = await page.locator('.report-counts').innerText();
    expect(counts).toMatch(/2\s+inserted/);
    expect(counts).toMatch(/1\s+duplicates in file/);
    expect(counts).toMatch(/1\s+invalid/);
    expect(await countOf(page, 'already present')).toBe(0);
    const rejected = page.locator('table.rejections tbody tr');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.first().innerText()).toMatch(/^3\s+0812\s+Too short to be a phone number/);
    await screenshot(page, 'console-import-report.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download all rejected rows/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^import-\d+-errors\.csv$/);
    expect(await readFile((await download.path())!, 'utf8')).toBe('line,value,reason,last_line\n3,0812,TOO_SHORT,\n');

    // The import is in the history with its counts, and its report opens from there.
    await page.getByRole('link', { name: 'Import another file' }).click();
    const row = page.locator('table.history tbody tr').first();
    expect(await row.innerText()).toContain('four-rows.csv');
    expect(await row.innerText()).toMatch(/Completed\s+2\s+0\s+0\s+1\s+1/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when a file is dropped on the page for a dry run, then the report says nothing was saved', async () => {
    const { context, page, problems } = await openSession();
    await signIn(page, 'staff');
    await page.goto(`${served.base}/imports`);
    await page.getByLabel('Use the file’s category column (category or kategori)').check();
    await page.getByLabel('Dry run: show what would happen, save nothing').check();
    // What a drag from the desktop delivers: a DataTransfer holding the file, dropped on the zone.
    const dropped = uniqueMobile();
    await page.evaluate((csv) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
      const zone = document.getElementById('drop-zone')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, csvFile([['no_hp', 'kategori'], [dropped, 'Lead']]));
    await expect.poll(() => page.locator('#drop-hint').textContent()).toContain('dropped.csv');
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    expect(await page.locator('.report').innerText()).toContain('This was a dry run: nothing was saved');
    expect(await countOf(page, 'inserted')).toBe(1);
    const filed = await t.request(`/v1/lookup/${dropped}`);
    expect(filed.status).toBe(404);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the form is incomplete or the file is not usable, then the page says why in words', async () => {
    const { context, page, problems } = await openSession();
    await signIn(page, 'staff');
    await page.goto(`${served.base}/imports`);
    await page.getByLabel('CSV file').setInputFiles({ name: 'names.csv', mimeType: 'text/csv', buffer: Buffer.from('nama,kota\nBudi,Bandung\n') });
    // No category chosen: refused before anything is sent.
    await page.getByRole('button', { name: 'Upload and import' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Choose a category for the file, or use the file’s category column.');

    await page.locator('#category').selectOption('Lead');
    // Over the server's limit (lowered here on the page): refused before a byte is sent.
    const limit = await page.locator('#upload-form').getAttribute('data-max-bytes');
    expect(limit).toBe(String(512 * 1024 * 1024));
    await page.evaluate(() => ((document.getElementById('upload-form') as HTMLFormElement).dataset.maxBytes = '10'));
    await page.getByRole('button', { name: 'Upload and import' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('names.csv is 23 bytes; files up to 10 bytes can be imported.');
    await page.evaluate((value) => ((document.getElementById('upload-form') as HTMLFormElement).dataset.maxBytes = value), limit!);

    // No phone column recognized: the page shows the first rows to pick one, and refuses to send without it.
    expect(await page.locator('#column-preview').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Choose the column that holds the phone numbers.');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when staff search part of a number as they type and move it, then they see the new category and the move in its history', async () => {
    const from = await makeCategory(t, 'Console From');
    const to = await makeCategory(t, 'Console To');
    const number = await fileNumber(t, '0857 4321 9876', from.id);
    const { context, page, problems } = await openSession();
    await signIn(page, 'staff');
    await nav(page).getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Number or category').pressSequentially('43219', { delay: 40 });
    // No button pressed: the results come as the person types.
    const result = page.locator('.results a', { hasText: number.normalized_number });
    await result.waitFor();
    expect(page.url()).toContain('q=43219');
    await screenshot(page, 'console-search.png');
    await result.click();

    await page.waitForURL(new RegExp(`/numbers/${number.id}$`));
    expect(await page.locator('#current-category').innerText()).toBe('Console From');
    await page.getByLabel('Move to category').selectOption({ label: to.name });
    await page.getByRole('button', { name: 'Move' }).click();
    await page.waitForURL(/done=moved/);
    expect(await page.getByRole('status').innerText()).toContain('Moved to “Console To”');
    expect(await page.locator('#current-category').innerText()).toBe('Console To');
    const events = page.locator('.history-events li');
    expect(await events.last().innerText()).toMatch(/Moved from “Console From” to “Console To”.* by test staff/);
    await screenshot(page, 'console-number-history.png');

    // A category name finds its numbers too.
    await page.goto(`${served.base}/search`);
    await page.getByLabel('Number or category').fill('Console To');
    await page.locator('.results a', { hasText: number.normalized_number }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when a bot signs in, then its home page says what the key is for, and the import page is refused with a clear 403 page', async () => {
    const { context, page } = await openSession();
    await signIn(page, 'bot');
    expect(await page.locator('#bot-home').innerText()).toContain('signed in with a bot key');
    const links = await nav(page).innerText();
    expect(links).toContain('Dashboard');
    expect(links).toContain('Categories');
    expect(links).not.toContain('Search');
    expect(links).not.toContain('Import');
    const response = await page.goto(`${served.base}/imports`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Not allowed');
    expect(await page.getByRole('alert').innerText()).toContain('This needs the staff role. You are signed in as "test bot", a bot key.');
    await screenshot(page, 'console-bot-refused.png');
    await context.close();
  });

  it('when signing out, then the cookie is gone and the pages ask to sign in again', async () => {
    const { context, page } = await openSession();
    await signIn(page, 'staff');
    const before = await context.cookies();
    const session = before.find((cookie) => cookie.name === 'wa_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // HttpOnly: the page's own scripts cannot read the session id.
    expect(await page.evaluate(() => document.cookie)).not.toContain('wa_session');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?reason=signed_out/);
    expect(await page.getByRole('status').innerText()).toContain('You are signed out');
    expect((await context.cookies()).some((cookie) => cookie.name === 'wa_session')).toBe(false);
    await page.goto(`${served.base}/categories`);
    expect(page.url()).toContain('/sign-in?next=%2Fcategories');
    await context.close();
  });

  it('when an admin creates, renames and deletes a category moving its numbers, then the page shows each step and the chart', async () => {
    const { context, page, problems } = await openSession();
    await signIn(page, 'admin');
    await nav(page).getByRole('link', { name: 'Categories' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Reseller Console');
    await page.getByLabel('Description (optional)').fill('Made in the browser test');
    await page.getByRole('button', { name: 'Create category' }).click();
    await page.waitForURL(/done=created/);
    expect(await page.getByRole('status').innerText()).toContain('Category “Reseller Console” created.');

    // A name that exists is refused with the service's message, on the same page.
    await page.getByLabel('Name', { exact: true }).fill('prospek');
    await page.getByRole('button', { name: 'Create category' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('A category named “Prospek” already exists');

    const manage = page.locator('details[data-manage="Reseller Console"]');
    await manage.locator('summary').click();
    await manage.getByLabel('New name').fill('Reseller Jakarta');
    await manage.getByRole('button', { name: 'Rename' }).click();
    await page.waitForURL(/done=renamed/);
    expect(await page.getByRole('status').innerText()).toContain('Category renamed to “Reseller Jakarta”.');

    const reseller = (await bodyOf(clientAs(t).v1.categories.$get(), 200)).find((c) => c.name === 'Reseller Jakarta')!;
    await fileNumber(t, '0811 7002 0001', reseller.id);
    await fileNumber(t, '0811 7002 0002', reseller.id);
    await page.reload();
    expect(await page.locator('tr[data-category="Reseller Jakarta"] .count').innerText()).toBe('2');
    expect(await page.locator('tr[data-category="Reseller Jakarta"] svg.share-bar').count()).toBe(1);
    const prospekBefore = Number(await page.locator('tr[data-category="Prospek"] .count').innerText());
    await screenshot(page, 'console-categories.png');

    const jakarta = page.locator('details[data-manage="Reseller Jakarta"]');
    await jakarta.locator('summary').click();
    // Without a destination, a category holding numbers is not deleted, and the page says why.
    page.once('dialog', (dialog) => void dialog.accept());
    await jakarta.getByRole('button', { name: 'Delete “Reseller Jakarta”' }).click();
    expect(await page.getByRole('alert').innerText()).toMatch(/still holds 2 numbers/);

    const again = page.locator('details[data-manage="Reseller Jakarta"]');
    await again.locator('summary').click();
    await again.getByLabel(/move its 2 numbers to/).selectOption({ label: 'Prospek' });
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain('Delete the category “Reseller Jakarta”?');
      void dialog.accept();
    });
    await again.getByRole('button', { name: 'Delete “Reseller Jakarta”' }).click();
    await page.waitForURL(/done=deleted/);
    expect(await page.getByRole('status').innerText()).toContain('Category deleted; its 2 numbers moved to “Prospek”.');
    expect(await page.locator('tr[data-category="Reseller Jakarta"]').count()).toBe(0);
    expect(Number(await page.locator('tr[data-category="Prospek"] .count').innerText())).toBe(prospekBefore + 2);

    // The export of a category is a CSV of its numbers.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('tr[data-category="Prospek"]').getByRole('link', { name: /Export CSV/ }).click(),
    ]);
    const exported = await readFile((await download.path())!, 'utf8');
    expect(exported.split('\n')[0]).toBe('normalized_number,original_number,created_at,name');
    expect(exported).toContain('+6281170020001,0811 7002 0001,');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the dashboard opens, then it shows the totals and a chart of numbers filed per day', async () => {
    const { context, page, problems } = await openSession();
    await signIn(page, 'staff');
    const stats = await bodyOf(clientAs(t).v1.stats.$get({ query: {} }), 200);
    expect(await page.locator('#total-numbers').innerText()).toBe(stats.total_numbers.toLocaleString('en-US'));
    expect(stats.total_numbers).toBeGreaterThan(0);
    const chart = page.getByRole('img', { name: /Numbers filed per day/ });
    expect(await chart.locator('rect.column').count()).toBe(30);
    const today = new Date().toISOString().slice(0, 10);
    const day = wordsIn('en').date(today);
    expect(await chart.locator('title', { hasText: day }).textContent()).toBe(`${day}: ${stats.total_numbers}`);
    await screenshot(page, 'console-dashboard.png');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when used on a phone screen with the keyboard only, then every page fits the width and the forms work', async () => {
    const { context, page, problems } = await openSession({ width: 390, height: 844 });
    await page.goto(`${served.base}/sign-in`);
    // Tab from the top of the page to the key field, type, Enter: no mouse.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'key'; i += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('key');
    await page.keyboard.type(t.keys.staff);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${served.base}/`);

    for (const [pagePath, name] of [
      ['/', 'console-phone-dashboard.png'],
      ['/imports', 'console-phone-import.png'],
      ['/categories', 'console-phone-categories.png'],
      ['/search?q=0811', 'console-phone-search.png'],
    ] as const) {
      await page.goto(`${served.base}${pagePath}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, pagePath).toBeLessThanOrEqual(0);
      // Nothing to read or press is pushed off the side, not even inside a scrolling table.
      const offside = await page.evaluate(() =>
        [...document.querySelectorAll('main a, main button, main input, main select, main td, main th')]
          .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && (box.right > window.innerWidth + 1 || box.left < -1);
          })
          .map((element) => element.outerHTML.slice(0, 80)),
      );
      expect(offside, pagePath).toEqual([]);
      await screenshot(page, name);
    }
    // A keyboard user sees where the focus is: the focused link gets an outline.
    await page.goto(`${served.base}/`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      return { text: element.textContent, outline: getComputedStyle(element).outlineStyle, left: element.getBoundingClientRect().left };
    });
    expect(skip).toMatchObject({ text: 'Skip to content', outline: 'solid' });
    expect(skip.left).toBeGreaterThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
