import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { ARTIFACTS } from './browser.js';
import { postCsv } from './csv.js';
import { fileNumber, makeCategory } from './factories.js';
import type { TestApp } from './test-app.js';
import { bodyOf } from './typed-client.js';

export type BrowserLocale = 'id-ID' | 'en-US';
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A browser set to a language, as a person's browser is (Accept-Language and navigator.language). */
export async function openConsole(browser: Browser, locale: BrowserLocale, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
  return { context, page: await context.newPage() };
}

/** Signs in through the form, whatever its language: the key field and the form's one submit button. */
export async function signInAs(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.locator('#key').fill(key);
  await page.locator('form[action="/sign-in"] button[type="submit"]').click();
  await page.waitForURL(`${base}/`);
}

/** One of each kind of page, with something on it: a filed number, an import with a rejected row. */
export interface TourData {
  numberId: number;
  importId: number;
  digits: string;
}

export async function makeTourData(t: TestApp): Promise<TourData> {
  const category = await makeCategory(t, 'Reseller Bandung');
  const number = await fileNumber(t, '0813 5550 1234', category.id);
  const report = await bodyOf(postCsv(t, 'nama,nomor\nRina,0813-5550-2001\nTono,0812\n', 'category=Prospek'), 201);
  expect(report.id).toBeGreaterThan(0);
  return { numberId: number.id, importId: report.id, digits: '5550' };
}

export interface TourStop {
  name: string;
  path: string;
  role: Role;
}

/** Every page of the console a person opens, and the lowest role that opens it. */
export function tourStops(data: TourData): TourStop[] {
  return [
    { name: 'dashboard', path: '/', role: 'staff' },
    { name: 'search', path: `/search?q=${data.digits}`, role: 'staff' },
    { name: 'search-empty', path: '/search?q=0899999999', role: 'staff' },
    { name: 'number', path: `/numbers/${data.numberId}`, role: 'staff' },
    { name: 'import', path: '/imports', role: 'staff' },
    { name: 'import-report', path: `/imports/${data.importId}`, role: 'staff' },
    { name: 'categories', path: '/categories', role: 'bot' },
    { name: 'bot-authors', path: '/bot-authors', role: 'admin' },
  ];
}

/** Small PNGs: the first screen only, which is what a person sees first. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: false });
}
