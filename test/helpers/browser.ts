import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { serveTestApp, type ServedTestApp } from './serve-test-app.js';
import { createTestApp, type TestApp } from './test-app.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; no browser download is needed (or possible here). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface BrowserTestApp {
  t: TestApp;
  served: ServedTestApp;
  browser: Browser;
  /** Closes the browser, the server and the app's database. */
  close(): Promise<void>;
}

/** An app on a throwaway database, served on a real port, and a headless Chromium to drive it. */
export async function startBrowserTestApp(): Promise<BrowserTestApp> {
  const t = await createTestApp();
  const served = await serveTestApp(t);
  const browser = await launchChromium();
  return {
    t,
    served,
    browser,
    close: async () => {
      await browser.close();
      await served.close();
      await t.close();
    },
  };
}
