import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/** Each test on a database of its own, holding exactly one admin key. */
let t: TestApp;
afterEach(() => t.close());

const bearer = (key: string) => ({ as: null, headers: { authorization: `Bearer ${key}` } });

async function onlyAdminId(): Promise<number> {
  const { items } = await bodyOf(clientAs(t).v1['api-keys'].$get(), 200);
  const admins = items.filter((key) => key.role === 'admin' && key.revoked_at === null);
  expect(admins).toHaveLength(1);
  return admins[0]!.id;
}

async function newAdmin(name: string) {
  return bodyOf(clientAs(t).v1['api-keys'].$post({ json: { name, role: 'admin' } }), 201);
}

describe('the last admin key', () => {
  it('when the only admin key revokes itself, then 409 and it still works', async () => {
    t = await createTestApp();
    const response = await t.request(`/v1/api-keys/${await onlyAdminId()}`, { method: 'DELETE' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringContaining('last admin key') } });
    expect((await t.request('/v1/api-keys')).status).toBe(200);
  });

  it('when another admin key exists, then one can be revoked and the remaining one cannot', async () => {
    t = await createTestApp();
    const first = await onlyAdminId();
    const second = await newAdmin('second admin');
    expect((await t.request(`/v1/api-keys/${first}`, { method: 'DELETE', ...bearer(second.key) })).status).toBe(200);
    expect((await t.request(`/v1/api-keys/${second.id}`, { method: 'DELETE', ...bearer(second.key) })).status).toBe(409);
    expect((await t.request('/v1/api-keys', bearer(second.key))).status).toBe(200);
  });

  it('when the last two admins revoke each other at the same moment, then exactly one revocation passes', async () => {
    t = await createTestApp();
    const first = await onlyAdminId();
    const [a, b] = [await newAdmin('admin a'), await newAdmin('admin b')];
    expect((await t.request(`/v1/api-keys/${first}`, { method: 'DELETE', ...bearer(a.key) })).status).toBe(200);
    const responses = await Promise.all([
      t.request(`/v1/api-keys/${b.id}`, { method: 'DELETE', ...bearer(a.key) }),
      t.request(`/v1/api-keys/${a.id}`, { method: 'DELETE', ...bearer(b.key) }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
  });
});
