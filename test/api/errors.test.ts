import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

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
    expect(await response.json()).toEqual({ status: 'unavailable', database: 'down', lookup_cache: 'off' });
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
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', lookup_cache: 'off' });
  });
});
