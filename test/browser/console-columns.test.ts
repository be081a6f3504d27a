import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import { csvFile } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';

/** The import page in headless Chromium, with files whose headers the importer does not know. */
let app: BrowserTestApp | undefined;

beforeAll(async () => {
  app = await startBrowserTestApp();
});
afterAll(() => app?.close());

async function importPage() {
  const { browser, served, t } = app!;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${served.base}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('API key').fill(t.keys.staff);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${served.base}/`);
  await page.goto(`${served.base}/imports`);
  return { context, page, problems };
}

async function categoryOf(normalized: string): Promise<string | null> {
  const [rows] = await app!.t.db.sequelize.query(
    'SELECT c.name, p.name AS contact FROM phone_numbers p JOIN categories c ON c.id = p.category_id WHERE p.normalized_number = $1',
    { bind: [normalized] },
  );
  const row = (rows as Array<{ name: string; contact: string | null }>)[0];
  return row ? `${row.name}/${row.contact}` : null;
}

describe('console: picking columns of a file with unknown headers', () => {
  it('when the header has no recognizable phone column, then the first rows are shown, staff pick the columns and the file imports', async () => {
    const { context, page, problems } = await importPage();
    const [budi, siti] = [uniqueMobile(), uniqueMobile()];
    const csv = csvFile([['Pelanggan', 'Kontak Utama', 'Grup', 'Kota'], ['Budi', dashed(budi), 'Lead', 'Bandung'], ['Siti', dashed(siti), 'Prospek', 'Bogor']], { separator: ';' });
    await page.getByLabel('CSV file').setInputFiles({ name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    const preview = page.locator('#column-preview');
    await preview.waitFor({ state: 'visible' });
    expect(await preview.locator('table tbody tr').count()).toBe(2);
    expect(await preview.locator('table thead').innerText()).toContain('2: Kontak Utama');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-import-pick-columns.png'), fullPage: true });

    await page.getByLabel('Phone number column', { exact: true }).selectOption({ label: '2: Kontak Utama' });
    await page.getByLabel('Category column', { exact: true }).selectOption({ label: '3: Grup' });
    await page.getByLabel('Name column', { exact: true }).selectOption({ label: '1: Pelanggan' });
    // Picking a category column means using it.
    expect(await page.locator('#mode-column').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Upload and import' }).click();

    await page.waitForURL(/\/imports\/\d+$/);
    await page.locator('.report-counts').waitFor();
    expect(await page.locator('.report-counts').innerText()).toMatch(/2\s+inserted/);
    expect(await categoryOf(e164(budi))).toBe('Lead/Budi');
    expect(await categoryOf(e164(siti))).toBe('Prospek/Siti');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when the file has a category column, then the form uses it by default (no category to choose)', async () => {
    const { context, page, problems } = await importPage();
    const number = uniqueMobile();
    await page.getByLabel('CSV file').setInputFiles({ name: 'cat.csv', mimeType: 'text/csv', buffer: Buffer.from(csvFile([['hp', 'kategori'], [dashed(number), 'Lead']])) });
    await expect.poll(() => page.locator('#mode-column').isChecked()).toBe(true);
    expect(await page.locator('#column-preview').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    expect(await page.locator('.report-counts').innerText()).toMatch(/1\s+inserted/);
    expect(await categoryOf(e164(number))).toBe('Lead/null');
    expect(problems).toEqual([]);
    await context.close();
  });
});
