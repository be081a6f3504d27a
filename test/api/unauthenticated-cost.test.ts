import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCache } from '../../src/auth/api-key-cache.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Requests without a valid key must not cost the database a query each. */
let t: TestApp;
const queries: string[] = [];
beforeAll(async () => {
  t = await createTestApp({ trustProxy: true, authFailuresPerMinute: 20 });
  // Sequelize's own hook sees every statement the app sends through it: a count, not a stand-in.
  t.db.sequelize.addHook('afterQuery', (_options, query) => {
    queries.push(String((query as { sql?: string }).sql ?? ''));
  });
});
afterAll(() => t.close());

/** A key of the real shape (prefix and secret) that no one was ever given. */
const madeUpKey = () => `wak_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
const fromAddress = (address: string, key: string) => ({ as: null, headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': `198.51.100.7, ${address}` } });
const keyQueries = () => queries.filter((sql) => /FROM api_keys WHERE prefix/.test(sql)).length;

describe('made-up keys', () => {
  it('when one address sends many made-up keys, then after the limit it is answered 429 without a query', async () => {
    const before = keyQueries();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await t.request('/v1/categories', fromAddress('203.0.113.9', madeUpKey()))).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
    expect(keyQueries() - before).toBe(20);

    const refused = await t.request('/v1/categories', fromAddress('203.0.113.9', madeUpKey()));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('when an address is over its limit, then a real key from it still works, and other addresses are not affected', async () => {
    expect((await t.request('/v1/categories', fromAddress('203.0.113.10', t.keys.bot))).status).toBe(200);
    for (let i = 0; i < 25; i++) await t.request('/v1/categories', fromAddress('203.0.113.10', madeUpKey()));
    expect((await t.request('/v1/categories', fromAddress('203.0.113.10', t.keys.bot))).status).toBe(200);
    expect((await t.request('/v1/categories', fromAddress('203.0.113.11', madeUpKey()))).status).toBe(401);
  });

  it('when the console sign-in is flooded with made-up keys, then the same limit answers', async () => {
    let last = 0;
    for (let i = 0; i < 25; i++) {
      const response = await t.app.request('http://localhost/sign-in', {
        method: 'POST',
        headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.12' },
        body: new URLSearchParams({ key: madeUpKey() }).toString(),
      });
      last = response.status;
    }
    expect(last).toBe(429);
  });
});

describe('the key cache', () => {
  it('when more made-up prefixes arrive than the cache holds, then no real key is pushed out', () => {
    const cache = new ApiKeyCache();
    const real = { id: 1, name: 'bot', role: 'bot' as const, key_hash: Buffer.alloc(32), revoked_at: null };
    const now = Date.now();
    cache.set('wak_00000001', real, now);
    for (let i = 0; i < 50_000; i++) cache.set(`wak_${i.toString(16).padStart(8, 'f')}`, null, now);
    expect(cache.get('wak_00000001', now)).toBe(real);
  });
});

describe('/health', () => {
  it('when /health is asked many times at once and in a row, then the database is probed at most once a second', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = queries.filter((sql) => sql === 'SELECT 1').length;
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 50 }, () => t.request('/health', { as: null })));
    for (let i = 0; i < 50; i++) responses.push(await t.request('/health', { as: null }));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(queries.filter((sql) => sql === 'SELECT 1').length - before).toBeLessThanOrEqual(seconds + 1);
  });
});
