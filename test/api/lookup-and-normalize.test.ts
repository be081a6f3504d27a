import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_FORMS, REFUSED_FORMS } from '../fixtures/number-forms.js';
import { fileNumber, makeCategory } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('GET /v1/normalize', () => {
  it.each(ACCEPTED_FORMS)('when asked about %j, then it answers %s', async (input, e164) => {
    const response = await t.request(`/v1/normalize?number=${encodeURIComponent(input)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ input, valid: true, normalized_number: e164, reason: null });
  });

  it.each(REFUSED_FORMS)('when asked about %j, then it answers 200, invalid, %s', async (input, reason) => {
    const response = await t.request(`/v1/normalize?number=${encodeURIComponent(input)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ input, valid: false, normalized_number: null, type: null, region: null, reason });
  });

  it('when the number parameter is missing, then 400', async () => {
    expect((await t.request('/v1/normalize')).status).toBe(400);
  });
});

describe('GET /v1/lookup/{number}', () => {
  it('when a filed number is asked for in every accepted form, then each finds it', async () => {
    const category = await makeCategory(t);
    const filed = await fileNumber(t, '+62 812-3456-789', category.id);
    for (const form of ['08123456789', '628123456789', '628123456789@s.whatsapp.net', '628123456789:3@s.whatsapp.net', '628123456789@c.us', '6.28123456789E+11']) {
      const response = await t.request(`/v1/lookup/${encodeURIComponent(form)}`);
      expect(response.status, form).toBe(200);
      expect(await response.json()).toEqual({ normalized_number: '+628123456789', category: { id: category.id, name: category.name }, phone_number_id: filed.id, resolved_from: 'phone', name: null });
    }
  });

  it('when the number is not filed, then 404 with the normalized number', async () => {
    const response = await t.request('/v1/lookup/6289999999999@s.whatsapp.net');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: { normalized_number: '+6289999999999' } } });
  });

  it.each(['120363025246125486@g.us', '120363144038483540@newsletter', 'status@broadcast'])('when given %s, then 422 NOT_A_PHONE_ID', async (id) => {
    const response = await t.request(`/v1/lookup/${encodeURIComponent(id)}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_NUMBER', details: { reason: 'NOT_A_PHONE_ID' } } });
  });
});

describe('POST /v1/lookup', () => {
  it('when given a batch, then it answers each input in order, filed, unfiled and invalid alike', async () => {
    const category = await makeCategory(t);
    await fileNumber(t, '0856 1234 5678', category.id);
    const numbers = ['xyz', '6285612345678@s.whatsapp.net', '0899 0000 1111', '+62 856-1234-5678'];
    const { results } = await bodyOf(clientAs(t).v1.lookup.$post({ json: { numbers } }), 200);
    expect(results.map((result) => result.input)).toEqual(numbers);
    expect(results[0]).toMatchObject({ valid: false, reason: 'NOT_A_NUMBER', category: null });
    expect(results[1]).toMatchObject({ valid: true, normalized_number: '+6285612345678', category: { id: category.id } });
    expect(results[2]).toMatchObject({ valid: true, normalized_number: '+6289900001111', category: null });
    expect(results[3]).toMatchObject({ category: { id: category.id } });
  });

  it('when the batch is empty or over 1000, then 400', async () => {
    expect((await t.request('/v1/lookup', { method: 'POST', json: { numbers: [] } })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, () => '08123456789');
    expect((await t.request('/v1/lookup', { method: 'POST', json: { numbers: tooMany } })).status).toBe(400);
  });
});
