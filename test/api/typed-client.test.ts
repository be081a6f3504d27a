import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWaClient } from '../../clients/typescript/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The generated client, talking to the in-process app (no socket) with one role's key. */
function clientAs(role: 'bot' | 'staff' | 'admin') {
  return createWaClient({ baseUrl: 'http://localhost', apiKey: t.keys[role], fetch: async (request) => t.app.fetch(request) });
}

describe('the typed client against the real app', () => {
  it('when an admin files a category and staff a number, then a bot looks it up by JID with typed answers', async () => {
    const admin = clientAs('admin');
    const created = await admin.POST('/v1/categories', { body: { name: 'Client VIP' } });
    expect(created.response.status).toBe(201);
    const categoryId = created.data!.id;

    const filed = await clientAs('staff').POST('/v1/phone-numbers', { body: { number: '0812-7100-1001', category_id: categoryId, name: 'Budi' } });
    expect(filed.data).toMatchObject({ normalized_number: '+6281271001001', category: { id: categoryId, name: 'Client VIP' } });

    const bot = clientAs('bot');
    const { data, error } = await bot.GET('/v1/lookup/{number}', { params: { path: { number: '6281271001001@s.whatsapp.net' } } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ normalized_number: '+6281271001001', category: { id: categoryId, name: 'Client VIP' }, phone_number_id: filed.data!.id, resolved_from: 'phone', name: 'Budi' });

    const batch = await bot.POST('/v1/lookup', { body: { numbers: ['0812-7100-1001', { id: '501234567890123@lid' }] } });
    expect(batch.data?.results.map((result) => result.category?.name ?? result.reason)).toEqual(['Client VIP', 'UNRESOLVED_IDENTITY']);
  });

  it('when a bot asks for what only an admin may do, then the error envelope comes back typed', async () => {
    const { data, error, response } = await clientAs('bot').POST('/v1/categories', { body: { name: 'Not allowed' } });
    expect(response.status).toBe(403);
    expect(data).toBeUndefined();
    expect(error?.error.code).toBe('FORBIDDEN');
  });

  it('when no key is given, then /health still answers (it is public in the document too)', async () => {
    const { data } = await createWaClient({ baseUrl: 'http://localhost', fetch: async (request) => t.app.fetch(request) }).GET('/health');
    expect(data?.database).toBe('up');
  });
});
