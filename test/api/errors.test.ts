import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeCategory } from '../helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function expectEnvelope(body: unknown, code: string) {
  expect(body).toMatchObject({ error: { code, message: expect.any(String), request_id: expect.any(String) } });
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe('the one error envelope', () => {
  it('when the JSON body is malformed, then 400 VALIDATION_FAILED, not 500', async () => {
    const response = await t.request('/v1/categories', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "oops",',
    });
    expect(response.status).toBe(400);
    expectEnvelope(await response.json(), 'VALIDATION_FAILED');
  });

  it('when the body is not JSON at all, then 400 rather than silently ignored', async () => {
    const response = await t.request('/v1/categories', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('when the route does not exist, then 404 in the envelope', async () => {
    const response = await t.request('/v1/nothing-here');
    expect(response.status).toBe(404);
    expectEnvelope(await response.json(), 'NOT_FOUND');
  });

  it('when the request carries an X-Request-Id, then the error echoes it', async () => {
    const response = await t.request('/v1/categories/999999', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(await response.json()).toMatchObject({ error: { request_id: 'trace-abc-123' } });
  });

  it('when a JSON body is over 1 MB, then 413 PAYLOAD_TOO_LARGE', async () => {
    const numbers = Array.from({ length: 70_000 }, () => '0812-3456-7890');
    const response = await t.request('/v1/lookup', { method: 'POST', json: { numbers } });
    expect(response.status).toBe(413);
    expectEnvelope(await response.json(), 'PAYLOAD_TOO_LARGE');
  });
});

describe('when the database is unreachable', () => {
  const sequelize = createSequelize({ url: 'postgres://nobody:nothing@127.0.0.1:1/none' });
  const app = createApp({ sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }) });
  afterAll(() => sequelize.close());

  it('then /health answers 503 with the database down', async () => {
    const response = await app.request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', database: 'down', lookup_cache: 'off', workers: { up: 1, configured: 1 }, read_replicas: [] });
  });

  it('then API routes answer 503 UNAVAILABLE without internals', async () => {
    const response = await app.request('/v1/categories', { headers: { authorization: `Bearer wak_00000000_${'a'.repeat(43)}` } });
    expect(response.status).toBe(503);
    const body = await response.json();
    expectEnvelope(body, 'UNAVAILABLE');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });
});

describe('health', () => {
  it('when the database is up, then 200', async () => {
    const response = await t.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', lookup_cache: 'off', workers: { up: 1, configured: 1 }, read_replicas: [] });
  });
});

describe('ids beyond what the columns hold', () => {
  const TOO_BIG = ['99999999999', '3000000000', '2147483648'];

  it('when any route with an {id} is given an id past PostgreSQL integer, then 400 VALIDATION_FAILED, never 500', async () => {
    // The OpenAPI document is generated, not a route with a schema of its own.
    const doc = (await (await t.request('/openapi.json', { as: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
      path.includes('{id}') ? Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })) : [],
    );
    expect(routes.length).toBeGreaterThan(5);
    for (const { method, path } of routes) {
      for (const id of TOO_BIG) {
        const init = method === 'GET' || method === 'DELETE' ? { method } : { method, json: {} };
        const response = await t.request(path.replace('{id}', id).replace(/^\/v1/, '/v1'), init);
        expect(response.status, `${method} ${path} with ${id}`).toBe(400);
        expectEnvelope(await response.json(), 'VALIDATION_FAILED');
      }
    }
  });

  it('when move_to, category_id or before_id is past integer, then 400, never 500', async () => {
    const category = await makeCategory(t, `Range ${Date.now()}`);
    const attempts = [
      t.request(`/v1/categories/${category.id}?move_to=3000000000`, { method: 'DELETE' }),
      t.request('/v1/phone-numbers?category_id=3000000000'),
      t.request('/v1/imports?before_id=3000000000'),
      t.request('/v1/phone-numbers', { method: 'POST', json: { number: '081234567890', category_id: 3_000_000_000 } }),
      t.request(`/v1/phone-numbers?cursor=${Buffer.from('id:9999999999').toString('base64url')}`),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status, response.url).toBe(400);
      expectEnvelope(await response.json(), 'VALIDATION_FAILED');
    }
  });

  it('when the console is asked for a number past integer, then it answers 400, not 500', async () => {
    const response = await t.app.request('http://localhost/numbers/99999999999', { headers: { cookie: await consoleSession() } });
    expect(response.status).toBe(400);
  });
});

/** A signed-in console session for the admin key, as the sign-in form makes one. */
async function consoleSession(): Promise<string> {
  const response = await t.app.request('http://localhost/sign-in', {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: t.keys.admin }).toString(),
  });
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}
