import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFile, postCsv } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
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
    const [budi, siti, nameless, unfiled] = [uniqueMobile(), uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const rows = [['Nama Lengkap', 'No HP', 'Kategori'], ['Budi Santoso', dashed(budi), 'Prospek'], ['"Siti, Aminah"', dashed(siti), 'Prospek'], ['', dashed(nameless), 'Prospek']];
    const report = await bodyOf(postCsv(t, csvFile(rows, { separator: ';' })), 201);
    expect(report).toMatchObject({ inserted: 3, invalid: 0 });

    expect(await lookup(budi)).toMatchObject({ name: 'Budi Santoso', category: { name: 'Prospek' } });
    expect(await lookup(`${e164(nameless).slice(1)}@s.whatsapp.net`)).toMatchObject({ name: null });
    const batch = await (await t.request('/v1/lookup', { method: 'POST', as: 'bot', json: { numbers: [dashed(siti), dashed(unfiled)] } })).json();
    expect(batch).toMatchObject({ results: [{ name: 'Siti, Aminah' }, { name: null, category: null }] });

    const found = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'].$get({ query: { search: 'santoso' } }), 200);
    expect(found.items.map((item) => item.name)).toEqual(['Budi Santoso']);

    const list = await bodyOf(clientAs(t).v1.categories.$get(), 200);
    const id = list.find((category) => category.name === 'Prospek')!.id;
    const exported = (await (await t.request(`/v1/categories/${id}/export.csv`)).text()).trim().split('\n');
    expect(exported[0]).toBe('normalized_number,original_number,created_at,name');
    expect(exported.find((line) => line.startsWith(e164(budi)))).toMatch(/,Budi Santoso$/);
    expect(exported.find((line) => line.startsWith(e164(siti)))).toMatch(/,"Siti, Aminah"$/);
    expect(exported.find((line) => line.startsWith(e164(nameless)))).toMatch(/Z,$/);
  });

  it('when a file is imported again with other names, then move updates them and skip leaves them', async () => {
    const [agus, dewi] = [uniqueMobile(), uniqueMobile()];
    const renamed = csvFile([['kontak', 'hp', 'kategori'], ['Agus Baru', dashed(agus), 'Lead'], ['Dewi Baru', dashed(dewi), 'Prospek']]);
    await postCsv(t, csvFile([['nama', 'hp', 'kategori'], ['Agus', dashed(agus), 'Lead'], ['Dewi', dashed(dewi), 'Lead']]));
    await postCsv(t, renamed, 'on_duplicate=skip');
    expect((await lookup(agus)).name).toBe('Agus');
    expect((await lookup(dewi)).name).toBe('Dewi');
    const moved = await bodyOf(postCsv(t, renamed, 'on_duplicate=move'), 201);
    expect(moved).toMatchObject({ moved: 1, already_present: 1 });
    expect(await lookup(agus)).toMatchObject({ name: 'Agus Baru', category: { name: 'Lead' } });
    expect(await lookup(dewi)).toMatchObject({ name: 'Dewi Baru', category: { name: 'Prospek' } });
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
