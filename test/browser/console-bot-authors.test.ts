import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserTestApp, type BrowserTestApp } from '../helpers/browser.js';
import { openConsole, signInAs } from '../helpers/console-tour.js';
import { fileNumber, makeCategory } from '../helpers/factories.js';
import { bodyOf, serverClient } from '../helpers/typed-client.js';

/** The bot authors' corner: where a bot asks, code to copy, and a bot key made on the spot. */
let app: BrowserTestApp | undefined;

beforeAll(async () => {
  app = await startBrowserTestApp();
});
afterAll(() => app?.close());

const base = () => app!.served.base;

describe('the bot authors’ corner', () => {
  it('when an admin opens it, then it shows this server’s lookup address and an example for each framework, copied with one click', async () => {
    const { context, page } = await openConsole(app!.browser, 'en-US');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base() });
    await signInAs(page, base(), app!.t.keys.admin);
    await page.getByRole('navigation').getByRole('link', { name: 'For bot authors' }).click();
    await page.waitForURL(/\/bot-authors$/);
    expect(await page.locator('#lookup-endpoint').innerText()).toContain(`GET ${base()}/v1/lookup/{id}?alt={alt}`);

    const titles = await page.locator('details.example summary').allInnerTexts();
    expect(titles).toEqual([
      'curl',
      'Baileys v7 (@whiskeysockets/baileys 7.x)',
      'Baileys v6 (6.7.x)',
      'Evolution API (webhook messages.upsert)',
      'WAHA (NOWEB engine)',
      'whatsapp-web.js',
      'WhatsApp Cloud API (webhook)',
    ]);
    const baileys = page.locator('details[data-example="baileys-7"]');
    await baileys.locator('summary').click();
    expect(await baileys.locator('pre').innerText()).toContain(`const API = '${base()}';`);
    expect(await baileys.locator('pre').innerText()).toContain('msg.key.remoteJidAlt');

    await baileys.getByRole('button', { name: /^Copy/ }).click();
    await expect.poll(() => baileys.getByRole('button', { name: /^Copied/ }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await baileys.locator('pre').innerText());
    await context.close();
  });

  it('when an admin makes a bot key there (id-ID), then it is shown once, looks numbers up and reads nothing more', async () => {
    const category = await makeCategory(app!.t, 'Bot corner');
    const number = await fileNumber(app!.t, '0857 1111 2222', category.id);
    const { context, page } = await openConsole(app!.browser, 'id-ID');
    await signInAs(page, base(), app!.t.keys.admin);
    await page.goto(`${base()}/bot-authors`);

    // A name is needed, said in the page's words.
    await page.locator('#bot-key-name').evaluate((input: HTMLInputElement) => (input.required = false));
    await page.getByRole('button', { name: 'Buat kunci bot' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('Periksa lagi: nama.');

    await page.getByLabel('Nama bot').fill('Bot WA Jakarta');
    const [answer] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/bot-authors/keys')), page.getByRole('button', { name: 'Buat kunci bot' }).click()]);
    expect(answer.status()).toBe(201);
    expect(await page.getByRole('status').innerText()).toContain('Kunci bot “Bot WA Jakarta” sudah dibuat');
    const key = (await page.locator('#created-key').innerText()).trim();
    expect(key).toMatch(/^wak_/);

    const asBot = serverClient(base(), { authorization: `Bearer ${key}` });
    const lookup = await bodyOf(asBot.v1.lookup[':number'].$get({ param: { number: encodeURIComponent('6285711112222@s.whatsapp.net') }, query: {} }), 200);
    expect(lookup.category.name).toBe('Bot corner');
    expect(number.id).toBeGreaterThan(0);
    const list = await fetch(`${base()}/v1/phone-numbers`, { headers: { authorization: `Bearer ${key}` } });
    expect(list.status).toBe(403);

    // Listed by its start only; opened again, the page does not show the key.
    await page.goto(`${base()}/bot-authors`);
    const row = page.locator('table.bot-keys tbody tr', { hasText: 'Bot WA Jakarta' });
    expect(await row.innerText()).toContain(key.slice(0, 12));
    expect(await row.innerText()).toContain('aktif');
    expect(await page.content()).not.toContain(key);
    await context.close();
  });

  it('when staff ask for it, then it is refused in words and not in their menu', async () => {
    const { context, page } = await openConsole(app!.browser, 'en-US');
    await signInAs(page, base(), app!.t.keys.staff);
    expect(await page.getByRole('navigation').innerText()).not.toContain('For bot authors');
    const response = await page.goto(`${base()}/bot-authors`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('alert').innerText()).toBe('This needs the admin role. You are signed in as "test staff", a staff key.');
    await context.close();
  });
});
