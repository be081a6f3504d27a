import { Writable } from 'node:stream';
import SwaggerParser from '@apidevtools/swagger-parser';
import { pino } from 'pino';
import { API_KEY_CACHE_TTL_MS } from '../../src/auth/api-key-cache.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { hashApiKey } from '../../src/auth/api-key-secret.js';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { postCsv } from '../helpers/csv.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';
import { withMinuteLeft } from '../helpers/minute-start.js';
import { createApiKey } from '../../src/auth/api-keys.service.js';

let t: TestApp;
const logLines: string[] = [];
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await createTestApp({ logger: pino({ level: 'trace' }, logStream) });
});
afterAll(() => t.close());

interface Operation {
  method: string;
  path: string;
  role: Role | undefined;
}

async function documentedOperations(): Promise<Operation[]> {
  // The OpenAPI document is generated, not a route with a schema of its own: read as what it holds.
  const doc = (await (await t.request('/openapi.json', { as: null })).json()) as {
    paths: Record<string, Record<string, { 'x-required-role'?: Role }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, role: operation['x-required-role'] })),
  );
}

/** A concrete URL for a documented path: ids that exist nowhere, so an allowed call changes nothing. */
function concrete(path: string): string {
  return path.replace('{id}', '999999').replace('{number}', '081299990000');
}

describe('the role matrix: every documented route × every role', () => {
  it('when called without a key, with each role, then 401 / 403 / allowed exactly as the route declares', async () => {
    const operations = (await documentedOperations()).filter((operation) => operation.path.startsWith('/v1/'));
    expect(operations.length).toBeGreaterThan(15);
    for (const operation of operations) {
      expect(operation.role, `${operation.method} ${operation.path} declares no role`).toBeDefined();
      const url = concrete(operation.path);
      const init = operation.method === 'GET' ? {} : { json: {} };
      const anonymous = await t.request(url, { method: operation.method, as: null, ...init });
      expect(anonymous.status, `${operation.method} ${url} without a key`).toBe(401);
      for (const role of ROLES) {
        const response = await t.request(url, { method: operation.method, as: role, ...init });
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(operation.role!);
        if (allowed) expect([401, 403], `${operation.method} ${url} as ${role}`).not.toContain(response.status);
        else expect(response.status, `${operation.method} ${url} as ${role}`).toBe(403);
      }
    }
  });

  it('when the app is asked for its routes, then every one of them is in the OpenAPI document', async () => {
    const documented = new Set((await documentedOperations()).map((operation) => `${operation.method} ${operation.path}`));
    const registered = t.app.routes
      .filter((route) => ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'].includes(route.method) && route.path.startsWith('/v1/'))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    for (const route of new Set(registered)) expect(documented, route).toContain(route);
  });

  it('when /health, /openapi.json and /docs are asked for without a key, then they answer', async () => {
    for (const path of ['/health', '/openapi.json', '/docs', '/docs/assets/swagger-ui-bundle.js']) {
      expect((await t.request(path, { as: null })).status, path).toBe(200);
    }
    expect(await (await t.request('/docs', { as: null })).text()).toContain('/docs/assets/start.js');
    expect(await (await t.request('/docs/assets/start.js', { as: null })).text()).toContain("url: '/openapi.json'");
  });

  it('when the OpenAPI document is validated, then it is valid OpenAPI 3 with the bearer scheme', async () => {
    // The OpenAPI document is generated, not a route with a schema of its own.
    const doc = (await (await t.request('/openapi.json', { as: null })).json()) as { openapi: string; components: { securitySchemes: object } };
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
  });
});

describe('keys', () => {
  it('when a key is malformed, unknown or revoked, then 401; the revocation counts from the next request', async () => {
    expect((await t.request('/v1/categories', { as: null, headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await t.request('/v1/categories', { as: null, headers: { authorization: `Bearer wak_00000000_${'x'.repeat(43)}` } })).status).toBe(401);

    const created = await bodyOf(clientAs(t).v1['api-keys'].$post({ json: { name: 'temporary bot', role: 'bot' } }), 201);
    const withKey = { as: null, headers: { authorization: `Bearer ${created.key}` } } as const;
    expect((await t.request('/v1/categories', withKey)).status).toBe(200);
    expect((await t.request(`/v1/api-keys/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.request('/v1/categories', withKey)).status).toBe(401);
  });

  it('when a key is revoked by another process (straight in the database), then it is refused here within a second', async () => {
    const created = await bodyOf(clientAs(t).v1['api-keys'].$post({ json: { name: 'revoked elsewhere', role: 'bot' } }), 201);
    const withKey = { as: null, headers: { authorization: `Bearer ${created.key}` } } as const;
    expect((await t.request('/v1/categories', withKey)).status).toBe(200);
    await t.db.sequelize.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', { bind: [created.id] });
    const revokedAt = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - revokedAt < 3000) {
      status = (await t.request('/v1/categories', withKey)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
    expect(performance.now() - revokedAt).toBeLessThan(API_KEY_CACHE_TTL_MS + 250);
  });

  it('when keys are listed or stored, then only a prefix and a hash are kept, and no log line carries a key', async () => {
    const created = await bodyOf(clientAs(t).v1['api-keys'].$post({ json: { name: 'listed', role: 'staff' } }), 201);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    const list = await (await t.request('/v1/api-keys')).text();
    expect(list).toContain(created.prefix);
    expect(list).not.toContain(created.key);

    const [rows] = await t.db.sequelize.query('SELECT * FROM api_keys');
    const stored = JSON.stringify(rows);
    for (const key of [created.key, ...Object.values(t.keys)]) expect(stored).not.toContain(key);
    const [hashed] = await t.db.sequelize.query('SELECT key_hash FROM api_keys WHERE prefix = $1', { bind: [created.prefix] });
    expect((hashed as Array<{ key_hash: Buffer }>)[0]!.key_hash.equals(hashApiKey(created.key))).toBe(true);

    await t.request('/v1/categories', { as: null, headers: { authorization: `Bearer ${created.key}` } });
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const key of [created.key, ...Object.values(t.keys)]) expect(logs).not.toContain(key);
  });
});

describe('limits and headers', () => {
  it('when one key bursts past RATE_LIMIT_PER_MINUTE, then it meets 429 with Retry-After while another key is unaffected', async () => {
    const limited = createApp({ sequelize: t.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), rateLimitPerMinute: 600 });
    // A key of its own: the minute's count is shared with every other app on this database.
    const bot = await createApiKey({ sequelize: t.db.sequelize, defaultRegion: 'ID' }, { name: 'burst bot', role: 'bot' });
    await withMinuteLeft(t.db.sequelize);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 900; i += 1) {
      const response = await limited.request('/v1/normalize?number=08123456789', { headers: { authorization: `Bearer ${bot.key}` } });
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(600);
    expect(statuses.filter((status) => status === 429)).toHaveLength(300);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const other = await limited.request('/v1/normalize?number=08123456789', { headers: { authorization: `Bearer ${t.keys.staff}` } });
    expect(other.status).toBe(200);
  });

  it('when a JSON body is 3 MB, then 413 without reading it whole', async () => {
    const body = JSON.stringify({ numbers: ['x'.repeat(3 * 1024 * 1024)] });
    const response = await t.request('/v1/lookup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('when any route answers, then it carries the secure headers, and no CORS header unless origins are configured', async () => {
    const response = await t.request('/v1/categories', { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBeTruthy();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();

    const withCors = createApp({ sequelize: t.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), corsOrigins: ['https://crm.example'] });
    const allowed = await withCors.request('/v1/categories', { headers: { origin: 'https://crm.example', authorization: `Bearer ${t.keys.bot}` } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.example');
  });
});

describe('the audit trail', () => {
  it('when a number is moved twice (by a key, then by an import), then its history shows both moves with who and when', async () => {
    const from = await makeCategory(t, 'Audit from');
    const middle = await makeCategory(t, 'Audit middle');
    const to = await makeCategory(t, 'Audit to');
    const number = uniqueMobile();
    const filed = await fileNumber(t, number, from.id);
    expect((await t.request(`/v1/phone-numbers/${filed.id}`, { method: 'PATCH', as: 'staff', json: { category_id: middle.id } })).status).toBe(200);
    const imported = await bodyOf(postCsv(t, `phone\n${number}\n`, `category=${encodeURIComponent(to.name)}&on_duplicate=move`), 201);
    expect(imported.moved).toBe(1);

    const history = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'][':id'].history.$get({ param: { id: String(filed.id) } }), 200);
    expect(history.events.map((event) => event.event)).toEqual(['filed', 'moved', 'moved']);
    expect(history.events[0]).toMatchObject({ actor: 'test admin', to_category: { id: from.id } });
    expect(history.events[1]).toMatchObject({ actor: 'test staff', import_id: null, from_category: { id: from.id }, to_category: { id: middle.id } });
    expect(history.events[2]).toMatchObject({ actor: 'test admin', import_id: imported.id, from_category: { id: middle.id }, to_category: { id: to.id } });
    expect(new Date(history.events[2]!.at).getTime()).toBeGreaterThanOrEqual(new Date(history.events[1]!.at).getTime());
  });

  it('when category and key writes happen, then each is recorded with the key that did it and old and new values', async () => {
    const category = await makeCategory(t, 'Audited');
    await t.request(`/v1/categories/${category.id}`, { method: 'PATCH', json: { name: 'Audited renamed' } });
    await t.request(`/v1/categories/${category.id}`, { method: 'DELETE' });
    const [rows] = await t.db.sequelize.query(
      "SELECT action, actor, old_value, new_value FROM audit_log WHERE entity_type = 'category' AND entity_id = $1 ORDER BY id",
      { bind: [category.id] },
    );
    expect(rows).toMatchObject([
      { action: 'category.create', actor: 'test admin', new_value: { name: 'Audited' } },
      { action: 'category.update', actor: 'test admin', old_value: { name: 'Audited' }, new_value: { name: 'Audited renamed' } },
      { action: 'category.delete', actor: 'test admin', old_value: { name: 'Audited renamed' } },
    ]);
  });
});

describe('what a bot key may read', () => {
  it('when a bot lists, searches or reads numbers, histories or stats, then 403; lookups, normalize, identities and categories still answer', async () => {
    const category = await makeCategory(t);
    const number = await fileNumber(t, uniqueMobile(), category.id);
    for (const path of ['/v1/phone-numbers', '/v1/phone-numbers?search=0812', `/v1/phone-numbers/${number.id}`, `/v1/phone-numbers/${number.id}/history`, '/v1/stats', `/v1/categories/${category.id}/export.csv`]) {
      expect((await t.request(path, { as: 'bot' })).status, path).toBe(403);
      expect((await t.request(path, { as: 'staff' })).status, path).toBe(200);
    }
    for (const path of [`/v1/lookup/${encodeURIComponent(number.normalized_number)}`, '/v1/normalize?number=08123456789', '/v1/categories', `/v1/categories/${category.id}`]) {
      expect((await t.request(path, { as: 'bot' })).status, path).toBe(200);
    }
  });

  it('when staff search, export and read a history, then each read is in the audit log with who, what and how many rows', async () => {
    const category = await makeCategory(t);
    const number = await fileNumber(t, uniqueMobile(), category.id);
    await t.request(`/v1/phone-numbers?search=${encodeURIComponent(category.name)}`, { as: 'staff' });
    await (await t.request(`/v1/categories/${category.id}/export.csv`, { as: 'staff' })).text();
    await t.request(`/v1/phone-numbers/${number.id}/history`, { as: 'staff' });
    const [rows] = await t.db.sequelize.query(
      `SELECT actor, action, new_value FROM audit_log WHERE action IN ('phone_number.list', 'category.export', 'phone_number.history_read') ORDER BY id DESC LIMIT 3`,
    );
    expect((rows as Array<{ actor: string; action: string; new_value: unknown }>).reverse()).toEqual([
      { actor: 'test staff', action: 'phone_number.list', new_value: { query: { search: category.name, category_id: null, cursor: null }, rows: 1 } },
      { actor: 'test staff', action: 'category.export', new_value: { query: { category_id: category.id }, rows: 1 } },
      { actor: 'test staff', action: 'phone_number.history_read', new_value: { query: { phone_number_id: number.id }, rows: 1 } },
    ]);
  });
});
