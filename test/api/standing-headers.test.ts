import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/http/response-headers.js';
import { serveTestApp, type ServedTestApp } from '../helpers/serve-test-app.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeCategory } from '../helpers/factories.js';

let t: TestApp;
let served: ServedTestApp;
beforeAll(async () => {
  t = await createTestApp();
  served = await serveTestApp(t);
});
afterAll(async () => {
  await served.close();
  await t.close();
});

const bot = () => ({ authorization: `Bearer ${t.keys.bot}` });

function expectStandingHeaders(response: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name), name).toBe(value);
  expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
}

describe('headers every answer carries, through the real HTTP server', () => {
  it('when a lookup answers 200 or 404, or a route 401 or an unknown path 404, then each carries the security headers and a request id', async () => {
    const category = await makeCategory(t, 'Headers');
    await t.request('/v1/phone-numbers', { method: 'POST', json: { number: '081299887766', category_id: category.id } });
    const filed = await fetch(`${served.base}/v1/lookup/6281299887766%40s.whatsapp.net`, { headers: bot() });
    expect(filed.status).toBe(200);
    expect(filed.headers.get('content-type')).toMatch(/^application\/json/);
    expectStandingHeaders(filed);
    const unfiled = await fetch(`${served.base}/v1/lookup/081299887700`, { headers: bot() });
    expect(unfiled.status).toBe(404);
    expectStandingHeaders(unfiled);
    // Read off the real server's socket (fetch), where the in-process typed client does not reach.
    expect(((await unfiled.json()) as { error: { request_id: string } }).error.request_id).toBe(unfiled.headers.get('x-request-id'));
    const anonymous = await fetch(`${served.base}/v1/lookup/081299887766`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expectStandingHeaders(anonymous);
    const unknown = await fetch(`${served.base}/nope`);
    expect(unknown.status).toBe(404);
    expectStandingHeaders(unknown);
  });

  it('when a client sends a plain X-Request-Id, then it is echoed; an unsafe one is replaced', async () => {
    const echoed = await fetch(`${served.base}/v1/lookup/081299887700`, { headers: { ...bot(), 'x-request-id': 'trace-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-42');
    const replaced = await fetch(`${served.base}/v1/lookup/081299887700`, { headers: { ...bot(), 'x-request-id': 'a b<script>' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('script');
    expectStandingHeaders(replaced);
  });

  it('when a console page sets its own Content-Security-Policy, then it keeps it beside the standing headers, each sent once', async () => {
    const page = await fetch(`${served.base}/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expectStandingHeaders(page);
  });
});
