import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCsv } from '../helpers/csv.js';
import { dashed, international, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/**
 * A person asks to be forgotten. Their number was imported with a name and a LID, rejected once in a
 * messy row, moved, looked up, searched for and read by staff. After the erasure, no row of any
 * table of the database holds the number in any written form, nor the name.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NATIONAL_DIGITS = '81277005566';
/** Someone else in the same file, who must stay. */
const OTHER = uniqueMobile();
const NAME = 'Siti Rahmawati Erasure';
const LID = '271234567890123@lid';

/** Every row of every table, as PostgreSQL writes it out: what a dump of the database would hold. */
async function dumpEveryRow(): Promise<string[]> {
  const [tables] = await t.db.sequelize.query(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
  );
  const rows: string[] = [];
  for (const { name } of tables as Array<{ name: string }>) {
    const [found] = await t.db.sequelize.query(`SELECT t::text AS row FROM ${name} t`);
    rows.push(...(found as Array<{ row: string }>).map((row) => `${name}: ${row.row}`));
  }
  return rows;
}

const holdsTheNumber = (row: string) => row.replace(/\D/g, '').includes(NATIONAL_DIGITS);
const holdsTheName = (row: string) => row.toLowerCase().includes(NAME.toLowerCase());

describe('POST /v1/erasures', () => {
  it('when a number is erased, then no row of the database holds its digits in any form, nor its contact name', async () => {
    // The person's number in two of the written forms a sheet holds (an apostrophe and a note; 62 and an extension).
    const national = `0${NATIONAL_DIGITS}`;
    const csv = ['nama,nomor,kategori,lid', `${NAME},'${dashed(national)} (WA),Prospek,${LID}`, `Lain,${international(national).slice(1)} x1,Lead,`, `Other,${dashed(OTHER)},Lead,`].join('\n');
    const imported = await postCsv(t, `${csv}\n`, 'create_categories=true');
    expect(imported.status).toBe(201);
    const filed = await bodyOf(clientAs(t, 'bot').v1.lookup[':number'].$get({ param: { number: `0${NATIONAL_DIGITS}` }, query: {} }), 200);
    expect(filed.name).toBe(NAME);
    const lead = (await bodyOf(clientAs(t).v1.categories.$get(), 200)).find((category) => category.name === 'Lead')!;
    expect((await t.request(`/v1/phone-numbers/${filed.phone_number_id}`, { method: 'PATCH', as: 'staff', json: { category_id: lead.id } })).status).toBe(200);
    await t.request('/v1/identities', { method: 'POST', as: 'bot', json: { pairs: [{ id: 'ID.1349120865530274191', phone: `+62${NATIONAL_DIGITS}` }] } });
    await t.request(`/v1/phone-numbers?search=0${NATIONAL_DIGITS}`, { as: 'staff' });
    await t.request(`/v1/phone-numbers?search=${encodeURIComponent(NAME)}`, { as: 'staff' });
    await t.request(`/v1/phone-numbers/${filed.phone_number_id}/history`, { as: 'staff' });

    const before = await dumpEveryRow();
    expect(before.filter(holdsTheNumber).length).toBeGreaterThan(5);
    expect(before.filter(holdsTheName).length).toBeGreaterThan(1);

    const { erased } = await bodyOf(clientAs(t).v1.erasures.$post({ json: { number: `+62 ${NATIONAL_DIGITS}` } }), 200);
    expect(erased).toMatchObject({ phone_numbers: 1, identities: 2 });
    expect(erased.audit_entries).toBeGreaterThan(2);
    expect(erased.rejections).toBeGreaterThanOrEqual(1);

    const after = await dumpEveryRow();
    expect(after.filter(holdsTheNumber)).toEqual([]);
    expect(after.filter(holdsTheName)).toEqual([]);
    // What stays: one line saying a number was erased, by whom, with a keyed hash; and the other people's rows.
    const erasures = after.filter((row) => row.includes('"number_hmac_sha256"'));
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toContain('test admin');
    expect(after.some((row) => row.replace(/\D/g, '').includes(OTHER.slice(1)))).toBe(true);

    expect((await t.request(`/v1/lookup/0${NATIONAL_DIGITS}`, { as: 'bot' })).status).toBe(404);
    expect((await t.request(`/v1/lookup/${encodeURIComponent(LID)}`, { as: 'bot' })).status).toBe(404);
  });

  it('when staff or a bot ask for an erasure, then 403; an invalid number is 422', async () => {
    expect((await t.request('/v1/erasures', { method: 'POST', as: 'staff', json: { number: '081234567890' } })).status).toBe(403);
    expect((await t.request('/v1/erasures', { method: 'POST', as: 'bot', json: { number: '081234567890' } })).status).toBe(403);
    expect((await t.request('/v1/erasures', { method: 'POST', json: { number: '12' } })).status).toBe(422);
  });
});
