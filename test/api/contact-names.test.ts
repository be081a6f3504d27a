import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCsv } from '../helpers/csv.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function lookup(number: string) {
  return bodyOf(clientAs(t, 'bot').v1.lookup[':number'].$get({ param: { number: encodeURIComponent(number) }, query: {} }), 200);
}

describe('contact names', () => {
  it('when a file has a name column, then names round-trip through import, lookups, search and the category export', async () => {
    const csv = 'Nama Lengkap;No HP;Kategori\nBudi Santoso;0812-6600-0001;Prospek\n"Siti, Aminah";0812-6600-0002;Prospek\n;0812-6600-0003;Prospek\n';
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ inserted: 3, invalid: 0 });

    expect(await lookup('081266000001')).toMatchObject({ name: 'Budi Santoso', category: { name: 'Prospek' } });
    expect(await lookup('6281266000003@s.whatsapp.net')).toMatchObject({ name: null });
    const batch = await (await t.request('/v1/lookup', { method: 'POST', as: 'bot', json: { numbers: ['0812-6600-0002', '0812-6600-0009'] } })).json();
    expect(batch).toMatchObject({ results: [{ name: 'Siti, Aminah' }, { name: null, category: null }] });

    const found = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'].$get({ query: { search: 'santoso' } }), 200);
    expect(found.items.map((item) => item.name)).toEqual(['Budi Santoso']);

    const list = await bodyOf(clientAs(t).v1.categories.$get(), 200);
    const id = list.find((category) => category.name === 'Prospek')!.id;
    const exported = (await (await t.request(`/v1/categories/${id}/export.csv`)).text()).trim().split('\n');
    expect(exported[0]).toBe('normalized_number,original_number,created_at,name');
    expect(exported.find((line) => line.startsWith('+6281266000001'))).toMatch(/,Budi Santoso$/);
    expect(exported.find((line) => line.startsWith('+6281266000002'))).toMatch(/,"Siti, Aminah"$/);
    expect(exported.find((line) => line.startsWith('+6281266000003'))).toMatch(/Z,$/);
  });

  it('when a file is imported again with other names, then move updates them and skip leaves them', async () => {
    await postCsv(t, 'nama,hp,kategori\nAgus,0812-6601-0001,Lead\nDewi,0812-6601-0002,Lead\n');
    await postCsv(t, 'kontak,hp,kategori\nAgus Baru,0812-6601-0001,Lead\nDewi Baru,0812-6601-0002,Prospek\n', 'on_duplicate=skip');
    expect((await lookup('081266010001')).name).toBe('Agus');
    expect((await lookup('081266010002')).name).toBe('Dewi');
    const moved = await bodyOf(postCsv(t, 'kontak,hp,kategori\nAgus Baru,0812-6601-0001,Lead\nDewi Baru,0812-6601-0002,Prospek\n', 'on_duplicate=move'), 201);
    expect(moved).toMatchObject({ moved: 1, already_present: 1 });
    expect(await lookup('081266010001')).toMatchObject({ name: 'Agus Baru', category: { name: 'Lead' } });
    expect(await lookup('081266010002')).toMatchObject({ name: 'Dewi Baru', category: { name: 'Prospek' } });
  });

  it('when a number is filed or patched with a name, then it is stored; over 200 characters is refused', async () => {
    const body = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'].$post({ json: { number: '0812-6602-0001', category: 'Lead', name: 'Rina' } }), 201);
    expect(body.name).toBe('Rina');
    const renamed = await t.request(`/v1/phone-numbers/${body.id}`, { method: 'PATCH', as: 'staff', json: { name: 'Rina W.' } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'Rina W.', category: { name: 'Lead' } });
    expect((await lookup('081266020001')).name).toBe('Rina W.');
    const tooLong = await t.request('/v1/phone-numbers', { method: 'POST', as: 'staff', json: { number: '0812-6602-0002', category: 'Lead', name: 'x'.repeat(201) } });
    expect(tooLong.status).toBe(400);
  });
});
