import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, withAxe } from '../helpers/axe-audit.js';
import { startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import { DESKTOP, openConsole, PHONE, screenshot, signInAs } from '../helpers/console-tour.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/** A new install, as the first person to sign in finds it: no numbers, no imports. */
let app: BrowserTestApp | undefined;

beforeAll(async () => {
  app = await startBrowserTestApp();
});
afterAll(() => app?.close());

const base = () => app!.served.base;

describe('the console on first use', () => {
  it('when nothing is filed yet, then every empty page is audited clean in both languages and at both widths', async () => {
    const found: string[] = [];
    for (const locale of ['id-ID', 'en-US'] as const) {
      for (const viewport of [DESKTOP, PHONE]) {
        const { context, page } = await openConsole(app!.browser, locale, viewport);
        await withAxe(context);
        await signInAs(page, base(), app!.t.keys.admin);
        for (const path of ['/', '/imports', '/search?category_id=1']) {
          await page.goto(`${base()}${path}`);
          found.push(...(await seriousViolations(page, `${locale} ${viewport.width} ${path}`)));
        }
        if (viewport === DESKTOP) {
          await page.goto(`${base()}/`);
          await screenshot(page, `console-${locale.slice(0, 2)}-dashboard-first-use.png`);
        }
        await context.close();
      }
    }
    expect(found).toEqual([]);
  });

  it('when staff sign in to an empty console (id-ID), then the dashboard says what to do, the example spreadsheet downloads and imports as it is, and the guidance goes away', async () => {
    const { context, page } = await openConsole(app!.browser, 'id-ID');
    await signInAs(page, base(), app!.t.keys.staff);
    const firstUse = page.locator('#first-use');
    expect(await firstUse.getByRole('heading').innerText()).toBe('Mulai di sini: belum ada nomor yang tersimpan');
    expect(await firstUse.innerText()).toContain('centang “Uji coba” dulu');
    // The empty lists say why they are empty.
    expect(await page.locator('main').innerText()).toContain('Tidak ada nomor yang disimpan dalam 30 hari terakhir');

    const [download] = await Promise.all([page.waitForEvent('download'), firstUse.getByRole('link', { name: 'Unduh contoh spreadsheet (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('contoh-kontak.csv');
    const example = await readFile((await download.path())!, 'utf8');
    const lines = example.trim().split(/\r\n/);
    expect(lines[0]).toBe('nama,nomor,kategori');
    expect(lines).toHaveLength(5);

    await firstUse.getByRole('link', { name: 'Impor file-nya' }).click();
    await page.waitForURL(/\/imports$/);
    expect(await page.locator('#no-imports').innerText()).toBe('Belum ada impor: setiap file yang Anda impor akan muncul di sini beserta jumlah dan laporannya.');
    await page.getByLabel('File CSV (atau Excel .xlsx)').setInputFiles({ name: 'contoh-kontak.csv', mimeType: 'text/csv', buffer: Buffer.from(example) });
    // The file has a kategori column: the form uses it without being told.
    await expect.poll(() => page.getByLabel('Pakai kolom kategori di file (category atau kategori)').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Unggah dan impor' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    await page.locator('.report-counts').waitFor();
    expect(await page.locator('[data-count="inserted"]').innerText()).toBe('4 baru');
    expect(await page.locator('[data-count="invalid"]').innerText()).toBe('0 tidak valid');

    await page.goto(`${base()}/`);
    expect(await page.locator('#first-use').count()).toBe(0);
    expect(await page.locator('#total-numbers').innerText()).toBe('4');
    await context.close();
  });

  it('when a category has no numbers, then its search says why and what to do (en-US)', async () => {
    const { context, page } = await openConsole(app!.browser, 'en-US');
    await signInAs(page, base(), app!.t.keys.staff);
    const empty = (await bodyOf(clientAs(app!.t).v1.categories.$get(), 200)).find((category) => category.phone_count === 0)!;
    await page.goto(`${base()}/search?category_id=${empty.id}`);
    expect(await page.locator('#result-count').innerText()).toBe(
      'This category has no numbers yet: import a file into it, or move numbers here from their page.',
    );
    await context.close();
  });
});
