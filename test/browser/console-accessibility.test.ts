import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, withAxe } from '../helpers/axe-audit.js';
import { startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import { DESKTOP, makeTourData, openConsole, PHONE, signInAs, tourStops, type TourData } from '../helpers/console-tour.js';

/**
 * Every page of the console through axe-core in Chromium, in both languages, at a desktop and a
 * phone width: no serious or critical violation. (The empty dashboard of a new install is audited
 * in console-first-use.test.ts, which starts with no numbers.)
 */
let app: BrowserTestApp | undefined;
let data: TourData;

beforeAll(async () => {
  app = await startBrowserTestApp();
  data = await makeTourData(app.t);
});
afterAll(() => app?.close());

async function audit(page: Page, path: string, label: string): Promise<string[]> {
  await page.goto(`${app!.served.base}${path}`);
  return seriousViolations(page, label);
}

describe('the console passes axe-core', () => {
  for (const locale of ['id-ID', 'en-US'] as const) {
    for (const [width, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`when every page is audited in ${locale} at ${width} width (${viewport.width} px), then none has a serious or critical violation`, async () => {
        const { context, page } = await openConsole(app!.browser, locale, viewport);
        await withAxe(context);
        const found: string[] = [];
        let audited = 0;
        found.push(...(await audit(page, '/sign-in', 'sign-in')));
        audited += 1;
        await signInAs(page, app!.served.base, app!.t.keys.admin);
        for (const stop of tourStops(data)) {
          found.push(...(await audit(page, stop.path, stop.name)));
          audited += 1;
        }
        // A refusal's page, and the corner right after a bot key was made (the key shown once).
        found.push(...(await audit(page, '/numbers/2000000', 'not-found')));
        await page.goto(`${app!.served.base}/bot-authors`);
        await page.locator('#bot-key-name').fill(`Audit bot ${locale} ${width}`);
        await page.locator('form[action="/bot-authors/keys"] button[type="submit"]').click();
        await page.locator('#created-key').waitFor();
        found.push(...(await seriousViolations(page, 'bot-key-created')));
        audited += 2;
        expect(audited).toBe(tourStops(data).length + 3);
        expect(found).toEqual([]);
        await context.close();
      });
    }
  }
});
