import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The console's language choice, in process: the cookie the switch sets and what each page then speaks. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ORIGIN = 'http://localhost';

function switchLanguage(fields: Record<string, string>, origin = ORIGIN) {
  return t.app.request(`${ORIGIN}/language`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function signInPage(headers: Record<string, string>): Promise<string> {
  return (await t.app.request(`${ORIGIN}/sign-in`, { headers })).text();
}

describe('the console’s language', () => {
  it('when the switch is used, then the choice is kept for a year in its own cookie and the person is back on the same page', async () => {
    const response = await switchLanguage({ lang: 'en', back: '/categories?done=created&id=3' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/categories?done=created&id=3');
    const cookie = response.headers.getSetCookie().find((set) => set.startsWith('wa_lang='));
    expect(cookie).toMatch(/^wa_lang=en; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('when the switch names no language the console speaks, or another site, then nothing is set and it goes home', async () => {
    const unknown = await switchLanguage({ lang: 'fr', back: '//evil.example/' });
    expect(unknown.status).toBe(303);
    expect(unknown.headers.get('location')).toBe('/');
    expect(unknown.headers.getSetCookie()).toEqual([]);
    const crossSite = await switchLanguage({ lang: 'en', back: '/' }, 'https://evil.example');
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.getSetCookie()).toEqual([]);
  });

  it('when a page is opened, then the remembered choice wins over Accept-Language, which wins over Indonesian', async () => {
    expect(await signInPage({ cookie: 'wa_lang=en', 'accept-language': 'id-ID,id' })).toContain('<html lang="en">');
    expect(await signInPage({ cookie: 'wa_lang=id', 'accept-language': 'en-US,en' })).toContain('<html lang="id">');
    expect(await signInPage({ 'accept-language': 'en-GB,en;q=0.9' })).toContain('<h1>Sign in</h1>');
    expect(await signInPage({ 'accept-language': 'fr-FR,fr' })).toContain('<h1>Masuk</h1>');
    expect(await signInPage({})).toContain('<h1>Masuk</h1>');
  });

  it('when the language switch is drawn, then it names the other language in that language and comes back to this page', async () => {
    const html = await signInPage({ 'accept-language': 'id' });
    expect(html).toContain('<button type="submit" name="lang" value="en" lang="en" class="link-button">English</button>');
    expect(html).toContain('<input type="hidden" name="back" value="/sign-in"/>');
  });
});
