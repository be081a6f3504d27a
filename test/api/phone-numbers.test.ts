import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('phone numbers: filing', () => {
  it('when the same person is filed as 0812-… and then as 62 812 …, then 201 then 409 with the existing record', async () => {
    const category = await makeCategory(t);
    const filed = await bodyOf(clientAs(t).v1['phone-numbers'].$post({ json: { number: '0813-1111-2222', category_id: category.id } }), 201);
    expect(filed).toMatchObject({
      original_number: '0813-1111-2222',
      normalized_number: '+6281311112222',
      number_type: 'MOBILE',
      category: { id: category.id, name: category.name },
    });

    const again = await bodyOf(clientAs(t).v1['phone-numbers'].$post({ json: { number: '62 813 1111 2222', category: 'Lead' } }), 409);
    expect(again.error).toMatchObject({ code: 'CONFLICT', details: { existing: { id: filed.id, category: { id: category.id } } } });

    const lookup = await t.request('/v1/lookup/6281311112222@s.whatsapp.net');
    expect(lookup.status).toBe(200);
    expect(await lookup.json()).toEqual({
      normalized_number: '+6281311112222',
      category: { id: category.id, name: category.name },
      phone_number_id: filed.id,
      resolved_from: 'phone',
      name: null,
    });
  });

  it('when the category is given by name in any case, then it is filed there', async () => {
    const filed = await bodyOf(clientAs(t).v1['phone-numbers'].$post({ json: { number: uniqueMobile(), category: 'pelanggan vip' } }), 201);
    expect(filed.category.name).toBe('Pelanggan VIP');
  });

  it('when the number is invalid, then 422 INVALID_NUMBER with the reason', async () => {
    const response = await t.request('/v1/phone-numbers', { method: 'POST', json: { number: '120363025246125486@g.us', category_id: 1 } });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_NUMBER', details: { reason: 'NOT_A_PHONE_ID' } } });
  });

  it('when the category is unknown, then 422 and nothing is filed', async () => {
    const number = uniqueMobile();
    for (const json of [{ number, category_id: 999999 }, { number, category: 'No such category' }]) {
      const response = await t.request('/v1/phone-numbers', { method: 'POST', json });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    const lookup = await t.request(`/v1/lookup/${number}`);
    expect(lookup.status).toBe(404);
  });

  it.each([
    [{ number: '08123456789' }],
    [{ number: '08123456789', category_id: 1, category: 'Lead' }],
    [{ category_id: 1 }],
    [{ number: '', category_id: 1 }],
    [{ number: 8123456789, category_id: 1 }],
  ])('when the body is %j, then 400', async (json) => {
    const response = await t.request('/v1/phone-numbers', { method: 'POST', json });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('phone numbers: reading, moving, deleting', () => {
  it('when moved, then it is in the new category; when deleted, then it is gone', async () => {
    const from = await makeCategory(t);
    const to = await makeCategory(t);
    const filed = await fileNumber(t, uniqueMobile(), from.id);

    const moved = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].$patch({ param: { id: String(filed.id) }, json: { category_id: to.id } }), 200);
    expect(moved.category.id).toBe(to.id);

    expect((await t.request(`/v1/phone-numbers/${filed.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/v1/phone-numbers/${filed.id}`)).status).toBe(404);
    expect((await t.request(`/v1/phone-numbers/${filed.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('when moving a missing number or to a missing category, then 404 and 422', async () => {
    const filed = await fileNumber(t, uniqueMobile(), 1);
    expect((await t.request('/v1/phone-numbers/999999', { method: 'PATCH', json: { category_id: 1 } })).status).toBe(404);
    expect((await t.request(`/v1/phone-numbers/${filed.id}`, { method: 'PATCH', json: { category_id: 999999 } })).status).toBe(422);
  });
});

describe('phone numbers: listing and search', () => {
  it('when paged, then every number appears exactly once, newest first', async () => {
    const category = await makeCategory(t);
    const filed = [];
    for (let i = 0; i < 5; i += 1) filed.push(await fileNumber(t, uniqueMobile(), category.id));

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: { category_id: string; limit: string; cursor?: string } = { category_id: String(category.id), limit: '2', ...(cursor ? { cursor } : {}) };
      const page = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query }), 200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(filed.map((item) => item.id).reverse());
  });

  it('when searching by part of the original, the normalized number or the category name, then it is found', async () => {
    const category = await makeCategory(t, 'Distributor Bandung');
    const filed = await fileNumber(t, '0857-7000-1234', category.id);
    for (const search of ['7000-12', '+6285770001234', '8577000', 'bandung']) {
      const page = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search } }), 200);
      expect(page.items.map((item) => item.id), search).toContain(filed.id);
    }
    const none = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search: '%' } }), 200);
    expect(none.items).toEqual([]);
  });

  it('when a search has letters, then case does not matter, and a search of digits and punctuation finds the same numbers as before', async () => {
    // Searches without letters run as LIKE, with letters as ILIKE (phone-numbers.repository.ts).
    const category = await makeCategory(t);
    const filed = await fileNumber(t, 'Tel: 0857 7000 4321', category.id);
    expect(filed.original_number).toBe('Tel: 0857 7000 4321');
    for (const search of ['tel: 0857', 'TEL: 0857 7000', '7000 4321', '0857 7000 4321', '85770004321']) {
      const page = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search } }), 200);
      expect(page.items.map((item) => item.id), search).toContain(filed.id);
    }
    const other = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search: 'tel: 0858' } }), 200);
    expect(other.items.map((item) => item.id)).not.toContain(filed.id);
  });

  it('when the search is a whole number, then that number comes first, then the other matches, each once across pages', async () => {
    const shop = await makeCategory(t, 'Toko 0857 7111 2222');
    const exact = await fileNumber(t, '+62 857-7111-2222', (await makeCategory(t)).id);
    const others = [];
    for (let i = 0; i < 3; i += 1) others.push(await fileNumber(t, uniqueMobile(), shop.id));

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: { search: string; limit: string; cursor?: string } = { search: '0857 7111 2222', limit: '2', ...(cursor ? { cursor } : {}) };
      const page = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query }), 200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    } while (cursor);
    // The exact number is older than the shop's numbers, yet first; then newest first.
    expect(seen).toEqual([exact.id, ...others.map((item) => item.id).reverse()]);
  });

  it('when the start of a number is typed nationally or internationally, then the numbers starting so are found', async () => {
    const category = await makeCategory(t);
    const target = await fileNumber(t, '0858-1234-5670', category.id);
    const elsewhere = await fileNumber(t, '0811-5858-1234', category.id);
    for (const search of ['0858-1234', '0858 12', '0062 858 1234', '+62 858-1234', '(0858) 1234']) {
      const page = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search } }), 200);
      const ids = page.items.map((item) => item.id);
      expect(ids, search).toContain(target.id);
      expect(ids, search).not.toContain(elsewhere.id);
    }
    // Digits without a leading 0 or + are part of a number anywhere in it.
    const anywhere = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search: '5858-12' } }), 200);
    expect(anywhere.items.map((item) => item.id)).toEqual([elsewhere.id]);
    // A national start is also, as the contract says, a substring of either number.
    const inside = await fileNumber(t, '0857-0858-1234', category.id);
    const substring = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search: '0858-1234' } }), 200);
    expect(substring.items.map((item) => item.id)).toEqual([inside.id, target.id]);
  });

  it('when the search holds a control character, then 400 and nothing is searched', async () => {
    const response = await t.request(`/v1/phone-numbers?search=${encodeURIComponent('0812\u001f34')}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('when the cursor or limit is not valid, then 400', async () => {
    expect((await t.request('/v1/phone-numbers?cursor=garbage')).status).toBe(400);
    expect((await t.request('/v1/phone-numbers?limit=0')).status).toBe(400);
    expect((await t.request('/v1/phone-numbers?limit=100000')).status).toBe(400);
  });
});
