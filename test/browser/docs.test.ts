import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import type { ServedTestApp } from '../helpers/serve-test-app.js';

let app: BrowserTestApp | undefined;
let served: ServedTestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startBrowserTestApp();
  ({ served, browser } = app);
});
afterAll(() => app?.close());

describe('/docs in a real browser', () => {
  it('when opened, then it renders the OpenAPI document: title, every tag, the bearer scheme', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(`${served.base}/docs`);
    await page.waitForSelector('.swagger-ui .info .title', { timeout: 30_000 });
    expect(await page.textContent('.swagger-ui .info .title')).toContain('WhatsApp contact categories');
    const tags = await page.$$eval('.opblock-tag', (nodes) => nodes.map((node) => node.getAttribute('data-tag')));
    expect(tags).toEqual(expect.arrayContaining(['Lookup', 'Categories', 'Phone numbers', 'Imports', 'API keys', 'Health']));
    expect(await page.isVisible('.btn.authorize')).toBe(true);
    expect(failed).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs.png'), fullPage: false });
  });
});
