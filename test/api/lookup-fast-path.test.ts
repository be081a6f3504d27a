import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { standingHeadersServerOptions } from '../../src/http/response-headers.js';
import { LookupCache } from '../../src/lookup/lookup-cache.js';
import type { LookupFastPath } from '../../src/lookup/lookup-fast-path.js';
import { createApiRequestListener } from '../../src/server/api-request-listener.js';
import { testClient } from 'hono/testing';
import { uniqueMobile } from '../helpers/factories.js';
import { bodyOf } from '../helpers/typed-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The lookup fast path must answer exactly as the app does. Each case is asked twice: of the real
 * HTTP server (where the fast path may answer) and of the same app in process (app.request(), which
 * never goes near it), with the same X-Request-Id, and the two answers must match in status, body and
 * headers. A counter says which cases the fast path itself answered.
 */
let db: TestDatabase;
let cache: LookupCache;
let app: App;
let fastPath: LookupFastPath;
let server: Server;
let base: string;
const logLines: Array<Record<string, unknown>> = [];
const keys: Record<'admin' | 'bot' | 'limited', string> = { admin: '', bot: '', limited: '' };
const LIMIT = 6;

beforeAll(async () => {
  db = await createTestDatabase();
  cache = new LookupCache({ databaseUrl: db.url, maxEntries: 1000 });
  await cache.start();
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => (logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) }));
  const served = createApiRequestListener({ sequelize: db.sequelize, defaultRegion: 'ID', logger, erasureKey: randomBytes(32), lookupCache: cache, rateLimitPerMinute: 100_000 });
  app = served.app;
  fastPath = served.lookupFastPath;
  server = createServer(standingHeadersServerOptions, served.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx = { sequelize: db.sequelize, defaultRegion: 'ID' as const };
  keys.admin = (await createApiKey(ctx, { name: 'admin', role: 'admin' })).key;
  keys.bot = (await createApiKey(ctx, { name: 'bot', role: 'bot' })).key;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await cache.close();
  await db.drop();
});

const as = (key: string) => ({ authorization: `Bearer ${key}` });
let traceSequence = 0;

/** Headers only an answer on the wire has (Node's, and the length node-server adds), which app.request() cannot have. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function comparableHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !TRANSPORT_HEADERS.has(name)));
}

/** The same request of the server and of the app in process: the answers must be the same. */
async function askBoth(path: string, headers: Record<string, string>) {
  traceSequence += 1;
  const trace = { ...headers, 'x-request-id': `fast-path-${traceSequence}` };
  const servedBefore = fastPath.served;
  const overHttp = await fetch(`${base}${path}`, { headers: trace });
  const byServer = { status: overHttp.status, headers: comparableHeaders(overHttp), body: await overHttp.text(), fast: fastPath.served > servedBefore };
  const inProcess = await app.request(path, { headers: trace });
  const byApp = { status: inProcess.status, headers: comparableHeaders(inProcess), body: await inProcess.text() };
  expect({ status: byServer.status, headers: byServer.headers, body: byServer.body }, path).toEqual(byApp);
  return byServer;
}

async function fileNumber(number: string): Promise<void> {
  const admin = testClient(app, undefined, undefined, { headers: as(keys.admin) });
  const { id } = await bodyOf(admin.v1.categories.$post({ json: { name: `Fast ${number}` } }), 201);
  await bodyOf(admin.v1['phone-numbers'].$post({ json: { number, category_id: id, name: 'Budi' } }), 201);
}

describe('GET /v1/lookup/{sender} through the fast path', () => {
  it('when a bot whose key the process holds looks up a filed number in any form, then the fast path answers it exactly as the app does', async () => {
    const national = uniqueMobile();
    await fileNumber(national);
    // The first request of a key goes to the app, which loads the key's row into the process's cache
    // (for a second at a time: a request that finds it expired is the app's too, so which path
    // answered is counted over the whole case, not asserted per request).
    expect((await askBoth(`/v1/lookup/${national}`, as(keys.bot))).fast).toBe(false);
    let fast = 0;
    for (const form of [national, `62${national.slice(1)}%40s.whatsapp.net`, `%2B62${national.slice(1)}`, `62${national.slice(1)}%3A12%40s.whatsapp.net`]) {
      const answer = await askBoth(`/v1/lookup/${form}`, as(keys.bot));
      expect(answer.status, form).toBe(200);
      if (answer.fast) fast += 1;
      expect(JSON.parse(answer.body)).toMatchObject({ normalized_number: `+62${national.slice(1)}`, resolved_from: 'phone', name: 'Budi' });
    }
    expect(fast).toBeGreaterThan(0);
  });

  it('when the number is not filed, is not a number, or is a LID nobody paired, then the fast path answers the same error envelope as the app', async () => {
    await askBoth(`/v1/lookup/${uniqueMobile()}`, as(keys.bot));
    const servedBefore = fastPath.served;
    const unfiled = await askBoth(`/v1/lookup/${uniqueMobile()}`, as(keys.bot));
    expect(unfiled.status).toBe(404);
    expect(JSON.parse(unfiled.body).error).toMatchObject({ code: 'NOT_FOUND', details: { resolved_from: 'phone' } });
    const invalid = await askBoth('/v1/lookup/0812', as(keys.bot));
    expect(invalid.status).toBe(422);
    expect(JSON.parse(invalid.body).error.code).toBe('INVALID_NUMBER');
    const lid = await askBoth(`/v1/lookup/${Date.now()}123%40lid`, as(keys.bot));
    expect(lid.status).toBe(404);
    expect(JSON.parse(lid.body).error.code).toBe('UNRESOLVED_IDENTITY');
    expect(fastPath.served).toBeGreaterThan(servedBefore);
  });

  it('when a LID was paired with a filed number, then the fast path resolves it as the app does', async () => {
    const national = uniqueMobile();
    await fileNumber(national);
    const lid = `${Date.now()}77@lid`;
    const taught = await app.request('/v1/identities', { method: 'POST', headers: { ...as(keys.bot), 'content-type': 'application/json' }, body: JSON.stringify({ pairs: [{ id: lid, phone: national }] }) });
    expect(taught.status).toBeLessThan(300);
    const answer = await askBoth(`/v1/lookup/${encodeURIComponent(lid)}`, as(keys.bot));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ normalized_number: `+62${national.slice(1)}`, resolved_from: 'lid' });
  });

  it('when a request is not the plain case (no key, a bad key, a query, an Origin, too long, another route), then the app answers it', async () => {
    const number = uniqueMobile();
    const cases: Array<[string, Record<string, string>]> = [
      [`/v1/lookup/${number}`, {}],
      [`/v1/lookup/${number}`, as('wak_notarealkey_000000000000000000000000')],
      [`/v1/lookup/${number}`, { authorization: 'Basic Ym90OmJvdA==' }],
      [`/v1/lookup/${number}?alt=${Date.now()}9%40lid`, as(keys.bot)],
      [`/v1/lookup/${number}`, { ...as(keys.bot), origin: 'https://example.com' }],
      [`/v1/lookup/${'1'.repeat(201)}`, as(keys.bot)],
      [`/v1/lookup/${number}/more`, as(keys.bot)],
      ['/v1/lookup/..', as(keys.bot)],
      ['/v1/lookup/%E0%A4%A', as(keys.bot)],
    ];
    for (const [path, headers] of cases) expect((await askBoth(path, headers)).fast, path).toBe(false);
  });

  it('when a key is revoked after the process cached it, then the app refuses it with 401', async () => {
    const ctx = { sequelize: db.sequelize, defaultRegion: 'ID' as const };
    const doomed = await createApiKey(ctx, { name: 'doomed', role: 'bot' });
    const number = uniqueMobile();
    await askBoth(`/v1/lookup/${number}`, as(doomed.key));
    expect((await askBoth(`/v1/lookup/${number}`, as(doomed.key))).status).toBe(404);
    const revoked = await app.request(`/v1/api-keys/${doomed.id}`, { method: 'DELETE', headers: as(keys.admin) });
    expect(revoked.status).toBe(200);
    const refused = await fetch(`${base}/v1/lookup/${number}`, { headers: as(doomed.key) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('when the fast path answers, then it leaves the same log line as the app: debug for an answer, info for a refusal, the sender redacted', async () => {
    const number = uniqueMobile();
    await askBoth(`/v1/lookup/${number}`, as(keys.bot));
    logLines.length = 0;
    await fetch(`${base}/v1/lookup/${number}`, { headers: { ...as(keys.bot), 'x-request-id': 'log-404' } });
    await fetch(`${base}/v1/lookup/0812`, { headers: { ...as(keys.bot), 'x-request-id': 'log-422' } });
    const line = (id: string) => logLines.find((entry) => entry.request_id === id);
    expect(line('log-404')).toMatchObject({ level: 20, msg: 'request', method: 'GET', path: '/v1/lookup/[redacted]', status: 404 });
    expect(line('log-422')).toMatchObject({ level: 30, msg: 'request', method: 'GET', path: '/v1/lookup/[redacted]', status: 422 });
    expect(JSON.stringify(logLines)).not.toContain(number);
  });
});

describe('the per-key rate limit with the fast path', () => {
  it('when a key asks more than its minute allows, through the fast path and the app alike, then exactly the limit is admitted and the rest get 429 with Retry-After', async () => {
    const db2 = await createTestDatabase();
    const limited = createApiRequestListener({ sequelize: db2.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), erasureKey: randomBytes(32), rateLimitPerMinute: LIMIT });
    const limitedServer = createServer(standingHeadersServerOptions, limited.listener);
    await new Promise<void>((resolve) => limitedServer.listen(0, '127.0.0.1', resolve));
    try {
      keys.limited = (await createApiKey({ sequelize: db2.sequelize, defaultRegion: 'ID' }, { name: 'limited', role: 'bot' })).key;
      const url = `http://127.0.0.1:${(limitedServer.address() as AddressInfo).port}/v1/lookup/${uniqueMobile()}`;
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < LIMIT + 4; i += 1) {
        // Every other request is the app's (the fast path leaves requests with an Origin to it), so both count against one minute.
        const response = await fetch(url, { headers: i % 2 === 0 ? as(keys.limited) : { ...as(keys.limited), origin: 'https://example.com' } });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      expect(statuses.filter((status) => status !== 429)).toHaveLength(LIMIT);
      expect(statuses.slice(LIMIT)).toEqual([429, 429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(limited.lookupFastPath.served).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => limitedServer.close(resolve));
      await db2.drop();
    }
  });
});
