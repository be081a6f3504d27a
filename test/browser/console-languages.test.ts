import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordsIn } from '../../src/web/i18n/words.js';
import { startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import { makeTourData, openConsole, screenshot, signInAs, tourStops, type BrowserLocale, type TourData } from '../helpers/console-tour.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/**
 * The console in the language of the person's browser (id-ID → Bahasa Indonesia, en-US → English),
 * on every page, and a switch that sticks. The expected words are written out here, not read from
 * the catalogs, so a page that shows a key, a fallback or the other language fails.
 */
let app: BrowserTestApp | undefined;
let data: TourData;

beforeAll(async () => {
  app = await startBrowserTestApp();
  data = await makeTourData(app.t);
});
afterAll(() => app?.close());

const base = () => app!.served.base;

interface Expected {
  lang: string;
  signIn: string;
  signOut: string;
  /** Words of the other language that must not be on the page (navigation and header). */
  foreign: string[];
  /** Each page's heading, and words from its body. */
  pages: Record<string, { h1: string | RegExp; says: string[] }>;
}

const EXPECTED: Record<BrowserLocale, Expected> = {
  'id-ID': {
    lang: 'id',
    signIn: 'Masuk',
    signOut: 'Keluar',
    foreign: ['Sign out', 'Dashboard', 'Search', 'Categories'],
    pages: {
      dashboard: { h1: 'Beranda', says: ['nomor tersimpan', 'Nomor tersimpan per hari', 'Per kategori'] },
      search: { h1: 'Cari', says: ['hasil untuk “5550”', 'ditulis “0813 5550 1234”, disimpan'] },
      'search-empty': { h1: 'Cari', says: ['Tidak ada nomor yang cocok dengan “0899999999”'] },
      number: { h1: '+6281355501234', says: ['Ditulis pertama kali', 'Riwayat', 'Disimpan di “Reseller Bandung”', 'Kembali ke pencarian'] },
      import: { h1: 'Impor spreadsheet', says: ['Satu kategori untuk seluruh file', 'Nomor yang sudah tersimpan', 'Impor sebelumnya', 'Selesai'] },
      'import-report': { h1: /^Laporan impor: /, says: ['Selesai', 'baru', 'Baris yang ditolak', 'Terlalu pendek untuk nomor telepon', 'Unduh semua baris yang ditolak'] },
      categories: { h1: 'Kategori', says: ['nomor dalam', 'Kelola kategori', 'Buat kategori', 'Ekspor CSV'] },
      'bot-authors': { h1: 'Untuk pembuat bot', says: ['Alamat pengecekan', 'Kunci bot', 'Contoh untuk disalin', 'Buat kunci bot'] },
    },
  },
  'en-US': {
    lang: 'en',
    signIn: 'Sign in',
    signOut: 'Sign out',
    foreign: ['Keluar', 'Beranda', 'Cari', 'Kategori'],
    pages: {
      dashboard: { h1: 'Dashboard', says: ['numbers filed', 'Numbers filed per day', 'By category'] },
      search: { h1: 'Search', says: ['for “5550”', 'written “0813 5550 1234”, filed'] },
      'search-empty': { h1: 'Search', says: ['No numbers match “0899999999”'] },
      number: { h1: '+6281355501234', says: ['As first written', 'History', 'Filed in “Reseller Bandung”', 'Back to search'] },
      import: { h1: 'Import a spreadsheet', says: ['One category for the file', 'Numbers that are already filed', 'Past imports', 'Completed'] },
      'import-report': { h1: /^Import report: /, says: ['Completed', 'inserted', 'Rejected rows', 'Too short to be a phone number', 'Download all rejected rows'] },
      categories: { h1: 'Categories', says: ['numbers in', 'Manage categories', 'Create category', 'Export CSV'] },
      'bot-authors': { h1: 'For bot authors', says: ['The lookup', 'Bot keys', 'Examples to copy', 'Create a bot key'] },
    },
  },
};

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();
const lang = (page: Page) => page.locator('html').getAttribute('lang');
const header = (page: Page) => page.locator('header').innerText();

describe('the console speaks the browser’s language', () => {
  for (const locale of ['id-ID', 'en-US'] as const) {
    it(`when the browser's language is ${locale}, then every page is in it, dates and numbers included`, async () => {
      const expected = EXPECTED[locale];
      const words = wordsIn(expected.lang === 'id' ? 'id' : 'en');
      const { context, page } = await openConsole(app!.browser, locale);
      await page.goto(`${base()}/sign-in`);
      expect(await lang(page)).toBe(expected.lang);
      expect(await heading(page)).toBe(expected.signIn);
      await screenshot(page, `console-${expected.lang}-sign-in.png`);

      await signInAs(page, base(), app!.t.keys.admin);
      for (const stop of tourStops(data)) {
        await page.goto(`${base()}${stop.path}`);
        const wanted = expected.pages[stop.name]!;
        expect(await lang(page), stop.name).toBe(expected.lang);
        const h1 = await heading(page);
        if (typeof wanted.h1 === 'string') expect(h1, stop.name).toBe(wanted.h1);
        else expect(h1, stop.name).toMatch(wanted.h1);
        const main = await page.locator('main').innerText();
        for (const text of wanted.says) expect(main, `${stop.name} says “${text}”`).toContain(text);
        const top = await header(page);
        expect(top).toContain(expected.signOut);
        for (const text of expected.foreign) expect(top, `${stop.name} header`).not.toContain(text);
        await screenshot(page, `console-${expected.lang}-${stop.name}.png`);
      }

      // Today in the page's own writing: 4 Des 2026 in Indonesian, 4 Dec 2026 in English.
      await page.goto(`${base()}/numbers/${data.numberId}`);
      expect(await page.locator('main').innerText()).toContain(words.date(new Date().toISOString()));
      await context.close();
    });
  }

  it('when a person switches the language, then the same page comes back in it, and the choice sticks across pages, sign-out and new tabs', async () => {
    const { context, page } = await openConsole(app!.browser, 'en-US');
    await page.goto(`${base()}/sign-in`);
    expect(await heading(page)).toBe('Sign in');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.waitForURL(/\/sign-in$/);
    expect(await heading(page)).toBe('Masuk');
    expect(await lang(page)).toBe('id');

    await signInAs(page, base(), app!.t.keys.staff);
    expect(await heading(page)).toBe('Beranda');
    await page.getByRole('navigation').getByRole('link', { name: 'Kategori' }).click();
    expect(await heading(page)).toBe('Kategori');
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/reason=signed_out/);
    expect(await page.getByRole('status').innerText()).toBe('Anda sudah keluar.');

    // A new tab of the same browser: still Indonesian, though the browser says en-US.
    const tab = await context.newPage();
    await signInAs(tab, base(), app!.t.keys.staff);
    await tab.goto(`${base()}/imports`);
    expect(await heading(tab)).toBe('Impor spreadsheet');
    await tab.getByRole('button', { name: 'English' }).click();
    await tab.waitForURL(/\/imports$/);
    expect(await heading(tab)).toBe('Import a spreadsheet');
    await tab.goto(`${base()}/`);
    expect(await heading(tab)).toBe('Dashboard');
    await context.close();
  });

  it('when an Indonesian page refuses something, then it says so in Indonesian, the API still in English', async () => {
    const { context, page } = await openConsole(app!.browser, 'id-ID');
    await signInAs(page, base(), app!.t.keys.admin);
    await page.goto(`${base()}/categories`);
    await page.getByLabel('Nama', { exact: true }).fill('prospek');
    await page.getByRole('button', { name: 'Buat kategori' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('Kategori bernama “Prospek” sudah ada. Pilih nama lain.');
    const response = await page.goto(`${base()}/numbers/2000000`);
    expect(response?.status()).toBe(404);
    expect(await heading(page)).toBe('Tidak ditemukan');
    expect(await page.getByRole('alert').innerText()).toBe('Nomor itu tidak tersimpan (lagi).');
    const api = await bodyOf(clientAs(app!.t).v1.categories.$post({ json: { name: 'prospek' } }, { headers: { 'accept-language': 'id' } }), 409);
    expect(api.error.message).toBe('A category named "prospek" already exists');
    await context.close();
  });
});
