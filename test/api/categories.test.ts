import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('categories: happy paths', () => {
  it('when listed on a fresh database, then the five reference categories are there with their counts', async () => {
    const categories = await bodyOf(clientAs(t).v1.categories.$get(), 200);
    expect(categories.slice(0, 5).map((category) => category.name)).toEqual([
      'Pelanggan VIP',
      'Pelanggan VIP 2',
      'Pelanggan Regular',
      'Prospek',
      'Lead',
    ]);
    expect(categories[0]).toMatchObject({ description: 'Pelanggan dengan tingkat prioritas tinggi', phone_count: 0 });
  });

  it('when created with spaces around the name, then it is stored trimmed and answered 201', async () => {
    const response = await t.request('/v1/categories', { method: 'POST', json: { name: '  Reseller  ', description: 'Mitra' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'Reseller', description: 'Mitra', phone_count: 0 });
  });

  it('when renamed and described, then both change and updated_at moves', async () => {
    const category = await makeCategory(t);
    const before = await bodyOf(clientAs(t).v1.categories[':id'].$get({ param: { id: String(category.id) } }), 200);
    const after = await bodyOf(clientAs(t).v1.categories[':id'].$patch({ param: { id: String(category.id) }, json: { name: 'Renamed once', description: 'now described' } }), 200);
    expect(after).toMatchObject({ name: 'Renamed once', description: 'now described' });
    expect(new Date(after.updated_at).getTime()).toBeGreaterThan(new Date(before.updated_at).getTime());
  });

  it('when a number is filed, then its category counts it', async () => {
    const category = await makeCategory(t);
    await fileNumber(t, uniqueMobile(), category.id);
    const response = await t.request(`/v1/categories/${category.id}`);
    expect(await response.json()).toMatchObject({ phone_count: 1 });
  });
});

describe('categories: errors', () => {
  it('when a name exists in another case, then creating it is a 409 that shows the existing one', async () => {
    const { error } = await bodyOf(clientAs(t).v1.categories.$post({ json: { name: 'prospek' } }), 409);
    expect(error).toMatchObject({ code: 'CONFLICT', details: { existing: { name: 'Prospek' } } });
  });

  it('when renamed onto another category name, then 409', async () => {
    const category = await makeCategory(t);
    const response = await t.request(`/v1/categories/${category.id}`, { method: 'PATCH', json: { name: 'LEAD' } });
    expect(response.status).toBe(409);
  });

  it.each([
    [{ name: '' }],
    [{ name: '   ' }],
    [{ name: 'x'.repeat(101) }],
    [{}],
    [{ name: 'Ok', colour: 'red' }],
    [{ name: 42 }],
  ])('when created with %j, then 400 VALIDATION_FAILED', async (body) => {
    const response = await t.request('/v1/categories', { method: 'POST', json: body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('when a category does not exist, then reading, renaming and deleting it are 404', async () => {
    for (const [method, json] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) {
      const response = await t.request('/v1/categories/999999', { method, json });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: { category_id: 999999 } } });
    }
  });

  it('when the id is not a number, then 400', async () => {
    const response = await t.request('/v1/categories/abc');
    expect(response.status).toBe(400);
  });
});

describe('categories: deleting', () => {
  it('when empty, then it is deleted', async () => {
    const category = await makeCategory(t);
    const response = await t.request(`/v1/categories/${category.id}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: category.id, moved_numbers: 0, deleted_numbers: 0 });
    expect((await t.request(`/v1/categories/${category.id}`)).status).toBe(404);
  });

  it('when it holds numbers, then it is refused until move_to is given, and then the numbers are in the new category', async () => {
    const from = await makeCategory(t);
    const to = await makeCategory(t);
    const filed = await fileNumber(t, uniqueMobile(), from.id);

    const refused = await t.request(`/v1/categories/${from.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'CONFLICT', details: { phone_count: 1 } } });

    const moved = await t.request(`/v1/categories/${from.id}?move_to=${to.id}`, { method: 'DELETE' });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ moved_numbers: 1 });
    const number = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].$get({ param: { id: String(filed.id) } }), 200);
    expect(number.category.id).toBe(to.id);
  });

  it('when cascade=true, then its numbers are deleted with it', async () => {
    const category = await makeCategory(t);
    const filed = await fileNumber(t, uniqueMobile(), category.id);
    const response = await t.request(`/v1/categories/${category.id}?cascade=true`, { method: 'DELETE' });
    expect(await response.json()).toMatchObject({ deleted_numbers: 1 });
    expect((await t.request(`/v1/phone-numbers/${filed.id}`)).status).toBe(404);
  });

  it('when cascade=true deletes numbers, then each one\'s history ends with its deletion, like a single delete', async () => {
    const category = await makeCategory(t);
    const filed = await Promise.all([uniqueMobile(), uniqueMobile(), uniqueMobile()].map((number) => fileNumber(t, number, category.id)));
    expect(await (await t.request(`/v1/categories/${category.id}?cascade=true`, { method: 'DELETE' })).json()).toMatchObject({ deleted_numbers: 3 });
    for (const number of filed) {
      const history = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].history.$get({ param: { id: String(number.id) } }), 200);
      expect(history.events.map((event) => event.event)).toEqual(['filed', 'deleted']);
      expect(history.events[1]).toMatchObject({ actor: 'test admin' });
    }
  });

  it('when move_to names a missing category or itself, then 422 and nothing changes', async () => {
    const category = await makeCategory(t);
    await fileNumber(t, uniqueMobile(), category.id);
    expect((await t.request(`/v1/categories/${category.id}?move_to=999999`, { method: 'DELETE' })).status).toBe(422);
    expect((await t.request(`/v1/categories/${category.id}?move_to=${category.id}`, { method: 'DELETE' })).status).toBe(422);
    expect(await (await t.request(`/v1/categories/${category.id}`)).json()).toMatchObject({ phone_count: 1 });
  });

  it('when move_to and cascade are both given, then 400', async () => {
    const category = await makeCategory(t);
    const response = await t.request(`/v1/categories/${category.id}?move_to=1&cascade=true`, { method: 'DELETE' });
    expect(response.status).toBe(400);
  });
});

describe('categories: export', () => {
  it('when exported, then every number of the category comes as CSV, formula-like cells defused', async () => {
    const category = await makeCategory(t, 'Export me');
    await fileNumber(t, '0812-5500-0001', category.id);
    await fileNumber(t, '+62 812 5500 0002', category.id);
    const response = await t.request(`/v1/categories/${category.id}/export.csv`, { as: 'staff' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe('normalized_number,original_number,created_at,name');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      '+6281255000001,0812-5500-0001',
      '+6281255000002,+62 812 5500 0002',
    ]);
    expect((await t.request(`/v1/categories/${category.id}/export.csv`, { as: 'bot' })).status).toBe(403);
    expect((await t.request('/v1/categories/999999/export.csv')).status).toBe(404);
  });
});
