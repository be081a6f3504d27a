import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { dashed, e164, fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csvFile, postCsv } from '../helpers/csv.js';
import { bodyIf, bodyOf, clientAs } from '../helpers/typed-client.js';

/**
 * The console's rules, in process (no browser): the cookie, cross-site refusals, roles, and that
 * the console and the API do not leak into each other.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ORIGIN = 'http://localhost';
const COOKIE = 'wa_session';

/** Signs in with `key` as the sign-in form does; the session cookie to send back (`wa_session=…`). */
async function sessionOf(app: TestApp['app'], key: string): Promise<string> {
  const response = await app.request(`${ORIGIN}/sign-in`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key }).toString(),
  });
  const cookie = response.headers.getSetCookie().find((set) => set.startsWith(`${COOKIE}=`));
  if (!cookie) throw new Error(`sign-in answered ${response.status} without a session`);
  return cookie.split(';')[0]!;
}

const sessions = new Map<string, Promise<string>>();
/** One signed-in session per key for the whole file, as a person keeps one open. */
function cookieFor(key: string): Promise<string> {
  if (!sessions.has(key)) sessions.set(key, sessionOf(t.app, key));
  return sessions.get(key)!;
}

/** A request as the console's own page would send it: same origin, with the role's cookie. */
async function page(path: string, init: RequestInit & { as?: Role | null; form?: Record<string, string> } = {}) {
  const { as = 'admin', form, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (as) headers.set('cookie', await cookieFor(t.keys[as]));
  // These tests read the English words; the language choice has tests of its own.
  if (!headers.has('accept-language')) headers.set('accept-language', 'en');
  if (!headers.has('origin') && (rest.method ?? 'GET') !== 'GET') headers.set('origin', ORIGIN);
  if (form) headers.set('content-type', 'application/x-www-form-urlencoded');
  return t.app.request(`${ORIGIN}${path}`, { ...rest, headers, body: form ? new URLSearchParams(form).toString() : rest.body });
}

function setCookieOf(response: Response): string {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${COOKIE}=`)) ?? '';
}

describe('signing in and out', () => {
  it('when a page is opened without a cookie, then it redirects to sign-in and remembers the page', async () => {
    const response = await page('/categories', { as: null });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?next=%2Fcategories');
  });

  it('when a valid key is posted, then a random session id (never the key) is kept in an HttpOnly, SameSite=Strict cookie for the whole site, not Secure over http', async () => {
    const response = await page('/sign-in', { method: 'POST', as: null, form: { key: t.keys.staff, next: '/search' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/search');
    const cookie = setCookieOf(response);
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(cookie).not.toContain(t.keys.staff.slice(13, 30));
    const [stored] = await t.db.sequelize.query('SELECT id_hash FROM console_sessions');
    expect(JSON.stringify(stored)).not.toContain(cookie.split(';')[0]!.slice(COOKIE.length + 1));
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('when signing in over https (directly or behind a proxy), then the cookie is __Host-wa_session and Secure', async () => {
    const direct = await t.app.request('https://console.example/sign-in', {
      method: 'POST',
      headers: { origin: 'https://console.example', host: 'console.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: t.keys.staff }).toString(),
    });
    const secure = (response: Response) => response.headers.getSetCookie().find((set) => set.startsWith('__Host-wa_session=')) ?? '';
    expect(secure(direct)).toMatch(/; Secure/i);
    expect(secure(direct)).toMatch(/; Path=\//i);
    expect(secure(direct)).not.toMatch(/Domain=/i);
    const proxied = await page('/sign-in', { method: 'POST', as: null, headers: { 'x-forwarded-proto': 'https' }, form: { key: t.keys.staff } });
    expect(secure(proxied)).toMatch(/; Secure/i);
  });

  it('when a session sits unused past its idle time or lives past its maximum, then it is refused', async () => {
    const cookie = await sessionOf(t.app, t.keys.staff);
    expect((await page('/', { as: null, headers: { cookie } })).status).toBe(200);
    await t.db.sequelize.query(`UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'`);
    expect((await page('/', { as: null, headers: { cookie } })).headers.get('location')).toBe('/sign-in?next=%2F&reason=invalid');
    sessions.clear();
    const fresh = await sessionOf(t.app, t.keys.staff);
    await t.db.sequelize.query(`UPDATE console_sessions SET created_at = now() - interval '13 hours'`);
    expect((await page('/', { as: null, headers: { cookie: fresh } })).status).toBe(303);
  });

  it('when the next page is another site, then sign-in goes to the dashboard instead', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/%09/evil.example'.replace('%09', '\t'), '/x\\..\\..\\evil', '\u0000/evil']) {
      const response = await page('/sign-in', { method: 'POST', as: null, form: { key: t.keys.bot, next } });
      expect(response.headers.get('location'), next).toBe('/');
    }
  });

  it('when the sign-in page is opened with a next page on another site, then the form does not carry it', async () => {
    for (const next of ['/%09/evil.example', '//evil.example', '/%5Cevil.example', '/%0A/evil.example']) {
      const html = await (await page(`/sign-in?next=${next}`, { as: null })).text();
      expect(html, next).not.toContain('name="next"');
    }
    const kept = await (await page('/sign-in?next=%2Fsearch%3Fq%3D1', { as: null })).text();
    expect(kept).toContain('value="/search?q=1"');
  });

  it('when a wrong key is posted, then the sign-in page says so and sets no cookie', async () => {
    const response = await page('/sign-in', { method: 'POST', as: null, form: { key: 'wak_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('That key was not accepted');
    expect(setCookieOf(response)).toBe('');
  });

  it('when signing out, then the cookie is cleared, the session is gone and the sign-in page says so', async () => {
    const cookie = await sessionOf(t.app, t.keys.staff);
    const response = await page('/sign-out', { method: 'POST', as: null, headers: { cookie } });
    expect((await page('/', { as: null, headers: { cookie } })).status).toBe(303);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?reason=signed_out');
    expect(setCookieOf(response)).toMatch(new RegExp(`^${COOKIE}=;.*Max-Age=0`, 'i'));
    expect(await (await page('/sign-in?reason=signed_out', { as: null })).text()).toContain('You are signed out');
  });

  it('when the key in the cookie is revoked, then the next page goes back to sign-in with a message and clears the cookie', async () => {
    const { id, key } = await bodyOf(clientAs(t).v1['api-keys'].$post({ json: { name: 'soon revoked', role: 'staff' } }), 201);
    const cookie = await sessionOf(t.app, key);
    expect((await page('/', { as: null, headers: { cookie } })).status).toBe(200);
    expect((await t.request(`/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBeLessThan(300);

    const response = await page('/', { as: null, headers: { cookie } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?next=%2F&reason=invalid');
    expect(setCookieOf(response)).toMatch(/Max-Age=0/i);
    expect(await (await page('/sign-in?reason=invalid', { as: null })).text()).toContain('not accepted any more');
  });
});

describe('cross-site requests', () => {
  it('when a form is posted from another site, then it is refused and nothing changes', async () => {
    const category = await makeCategory(t);
    const other = await makeCategory(t);
    const number = await fileNumber(t, uniqueMobile(), category.id);
    const attempts: HeadersInit[] = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of attempts) {
      const response = await page(`/numbers/${number.id}/move`, { method: 'POST', as: 'staff', headers, form: { category_id: String(other.id) } });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.text()).toContain('sent from another site');
    }
    const unchanged = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].$get({ param: { id: String(number.id) } }), 200);
    expect(unchanged.category.id).toBe(category.id);
  });

  it('when a form carries neither Origin nor Sec-Fetch-Site, then it is refused too', async () => {
    const response = await t.app.request(`${ORIGIN}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: t.keys.admin }).toString(),
    });
    expect(response.status).toBe(403);
    expect(setCookieOf(response)).toBe('');
  });

  it('when the browser says same-origin, then the form is accepted whatever the Origin header', async () => {
    const category = await makeCategory(t);
    const other = await makeCategory(t);
    const number = await fileNumber(t, uniqueMobile(), category.id);
    const response = await page(`/numbers/${number.id}/move`, {
      method: 'POST',
      as: 'staff',
      headers: { 'sec-fetch-site': 'same-origin', origin: 'https://proxy-rewritten.example' },
      form: { category_id: String(other.id) },
    });
    expect(response.status).toBe(303);
    const moved = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].$get({ param: { id: String(number.id) } }), 200);
    expect(moved.category.id).toBe(other.id);
  });
});

describe('roles', () => {
  it('when a bot signs in, then its home page says what a bot key is for, and it sees categories but no search, numbers or import', async () => {
    for (const path of ['/', '/categories']) expect((await page(path, { as: 'bot' })).status, path).toBe(200);
    const html = await (await page('/', { as: 'bot' })).text();
    expect(html).toContain('signed in with a bot key');
    expect(html).not.toContain('id="total-numbers"');
    expect(html).not.toContain('href="/imports"');
    expect(html).not.toContain('href="/search"');
    for (const path of ['/search?q=0812', '/search/results?q=0812']) expect((await page(path, { as: 'bot' })).status, path).toBe(403);
  });

  it('when a bot opens the import page or its endpoints, then a 403 page says which role is needed', async () => {
    const response = await page('/imports', { as: 'bot' });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('This needs the staff role');
    expect(html).toContain('a bot key');
    expect((await page('/imports', { method: 'POST', as: 'bot', body: 'phone\n0812\n', headers: { 'content-type': 'text/csv' } })).status).toBe(403);
    expect((await page('/imports/running.json', { as: 'bot' })).status).toBe(403);
  });

  it('when staff manage categories, then it is refused; an admin may', async () => {
    const name = `Console ${Date.now()}`;
    expect((await page('/categories', { method: 'POST', as: 'staff', form: { name } })).status).toBe(403);
    const created = await page('/categories', { method: 'POST', as: 'admin', form: { name } });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toMatch(/^\/categories\?done=created&id=\d+$/);
    const staffView = await (await page('/categories', { as: 'staff' })).text();
    expect(staffView).toContain(name);
    expect(staffView).not.toContain('Create category');
    expect(await (await page('/categories', { as: 'admin' })).text()).toContain('Create category');
  });

  it('when a bot opens a number, then it is refused (numbers of people are for staff); moving is refused', async () => {
    const category = await makeCategory(t);
    const number = await fileNumber(t, uniqueMobile(), category.id);
    const response = await page(`/numbers/${number.id}`, { as: 'bot' });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain(number.normalized_number);
    expect((await page(`/numbers/${number.id}/move`, { method: 'POST', as: 'bot', form: { category_id: '1' } })).status).toBe(403);
  });
});

describe('pages, errors and the API side by side', () => {
  it('when a page is served, then its policy allows only this site’s scripts and styles, and it has no inline script', async () => {
    for (const path of ['/', '/search', '/imports', '/categories', '/sign-in']) {
      const response = await page(path, { as: 'admin' });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("default-src 'none'");
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      const html = await response.text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\sstyle=/);
      expect(html, path).toContain('<meta name="viewport"');
    }
  });

  it('when a service refuses, then the page says it in the console’s own words, never a stack', async () => {
    const missing = await page('/numbers/999999', { as: 'staff' });
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain('That phone number is not filed (any more).');
    expect(html).not.toMatch(/at .*\.ts:\d+/);

    const taken = await page('/categories', { method: 'POST', as: 'admin', form: { name: 'prospek' } });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('A category named “Prospek” already exists');
  });

  it('when the console’s cookie is sent to the API, then the API still wants a bearer key', async () => {
    const response = await t.app.request(`${ORIGIN}/v1/categories`, { headers: { cookie: await cookieFor(t.keys.admin) } });
    expect(response.status).toBe(401);
    expect((await t.request('/health', { as: null })).status).toBe(200);
    expect((await t.request('/docs', { as: null })).status).toBe(200);
    expect((await t.request('/openapi.json', { as: null })).status).toBe(200);
  });

  it('when staff upload a CSV from the page, then the report and the errors.csv come through the console', async () => {
    const body = new FormData();
    body.append('category_mode', 'file');
    body.append('category', 'Prospek');
    body.append('on_duplicate', 'skip');
    body.append('file', new Blob([csvFile([['phone'], [uniqueMobile()], ['0812']])], { type: 'text/csv' }), 'two.csv');
    const response = await page('/imports', { method: 'POST', as: 'staff', body, headers: { accept: 'application/json' } });
    expect(response.status).toBe(201);
    // The console's own JSON answer (for its upload script), not an API route with a schema.
    const { id, report_url: url } = (await response.json()) as { id: number; report_url: string };
    expect(url).toBe(`/imports/${id}`);
    const report = await (await page(url, { as: 'staff' })).text();
    expect(report).toMatch(/<span class="count-value">1<\/span> inserted/);
    expect(report).toContain('Too short to be a phone number');
    const errors = await page(`/imports/${id}/errors.csv`, { as: 'staff' });
    expect(errors.headers.get('content-type')).toContain('text/csv');
    expect(await errors.text()).toBe('line,value,reason,last_line\n3,0812,TOO_SHORT,\n');
    const listed = await bodyOf(clientAs(t).v1.imports[':id'].$get({ param: { id: String(id) } }), 200);
    expect(listed).toMatchObject({ source: 'web', created_by: 'test staff' });
  });

  it('when staff choose one category for the file, then every row goes there, even rows naming another; with the column, each keeps its own', async () => {
    const upload = async (fields: Record<string, string>, csv: string) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      body.append('file', new Blob([csv], { type: 'text/csv' }), 'categories.csv');
      expect((await page('/imports', { method: 'POST', as: 'staff', body, headers: { accept: 'application/json' } })).status).toBe(201);
    };
    const categoryOf = async (number: string) =>
      (await bodyIf(clientAs(t).v1.lookup[':number'].$get({ param: { number: encodeURIComponent(number) }, query: {} }), 200))?.category.name;

    const [namingAnother, namingNone, namingItsOwn] = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    await upload({ category_mode: 'file', category: 'Prospek' }, csvFile([['phone', 'kategori'], [namingAnother, 'Lead'], [namingNone, '']]));
    expect(await categoryOf(e164(namingAnother))).toBe('Prospek');
    expect(await categoryOf(e164(namingNone))).toBe('Prospek');
    await upload({ category_mode: 'column' }, csvFile([['phone', 'kategori'], [namingItsOwn, 'Lead']]));
    expect(await categoryOf(e164(namingItsOwn))).toBe('Lead');
  });

  it('when a plain form (no script) uploads a file without a phone column, then it lands on the failed report', async () => {
    const body = new FormData();
    body.append('category_mode', 'column');
    body.append('file', new Blob(['name\nBudi\n'], { type: 'text/csv' }), 'nophone.csv');
    const response = await page('/imports', { method: 'POST', as: 'staff', body });
    expect(response.status).toBe(303);
    const html = await (await page(response.headers.get('location')!, { as: 'staff' })).text();
    expect(html).toContain('Failed');
    expect(html).toContain('No phone column');
  });
});

describe('what the page scripts fetch', () => {
  it('when the search page asks for results, then it gets an HTML fragment of links; without a cookie, a 401 it can act on', async () => {
    const category = await makeCategory(t);
    const number = await fileNumber(t, '0819 5551 2345', category.id);
    const response = await page('/search/results?q=5551%202345', { as: 'staff' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('<html');
    expect(html).toContain(`<a href="/numbers/${number.id}" class="result-number">${number.normalized_number}</a>`);
    expect(html).toContain(category.name);

    const anonymous = await page('/search/results?q=5551', { as: null });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', sign_in: '/sign-in' } });
  });

  it('when text that looks like markup is searched, then it comes back escaped', async () => {
    const html = await (await page(`/search/results?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`, { as: 'staff' })).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('when the import page polls progress with no import running, then the list is empty', async () => {
    const response = await page('/imports/running.json', { as: 'staff', headers: { accept: 'application/json' } });
    expect(await response.json()).toEqual({ running: [] });
  });
});

describe('the rate limit', () => {
  it('when a key has used its minute, then the console answers 429 with a page saying when to try again', async () => {
    // Signing in takes one of the three.
    const limited = await createTestApp({ rateLimitPerMinute: 3 });
    try {
      const cookie = await sessionOf(limited.app, limited.keys.staff);
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i += 1) {
        last = await limited.app.request(`${ORIGIN}/`, { headers: { cookie, 'accept-language': 'en' } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await last!.text()).toContain('Too many requests for this key');
    } finally {
      await limited.close();
    }
  });
});

describe('console: undoing an import', () => {
  it('when staff open a completed import, then it offers to undo it with a confirmation; undone, the page says what happened', async () => {
    const report = await bodyOf(postCsv(t, csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead'], [dashed(uniqueMobile()), 'Lead']])), 201);
    const before = await (await page(`/imports/${report.id}`, { as: 'staff' })).text();
    expect(before).toContain(`action="/imports/${report.id}/revert"`);
    expect(before).toMatch(/data-confirm="Undo import #\d+\? Up to 2 numbers it filed will be removed/);

    const undone = await page(`/imports/${report.id}/revert`, { method: 'POST', as: 'staff', form: {} });
    expect(undone.status).toBe(303);
    const after = await (await page(undone.headers.get('location')!, { as: 'staff' })).text();
    expect(after).toContain('Import undone: 2 numbers removed, 0 moved back, 0 kept');
    expect(after).toContain('This import was undone on');
    expect(after).not.toContain(`action="/imports/${report.id}/revert"`);
    expect((await page(`/imports/${report.id}/revert`, { method: 'POST', as: 'bot', form: {} })).status).toBe(403);
  });
});
