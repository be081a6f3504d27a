import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, csvFile, postCsv } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const [BUDI, SITI] = [uniqueMobile(), uniqueMobile()];
const UNUSUAL = csvFile([['Pelanggan', 'Kontak Utama', 'Grup', 'Catatan'], ['Budi', dashed(BUDI), 'Lead', 'x'], ['Siti', dashed(SITI), 'Prospek', 'y']]);

async function nameOf(number: string): Promise<string | null> {
  const [rows] = await t.db.sequelize.query('SELECT name FROM phone_numbers WHERE normalized_number = $1', { bind: [number] });
  return (rows as Array<{ name: string | null }>)[0]?.name ?? null;
}

describe('POST /v1/imports: columns named by the person importing', () => {
  it('when the headers are unusual, then without a mapping there is no phone column, and with one by name everything is read', async () => {
    const refused = await postCsv(t, UNUSUAL);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { details: { reason: 'NO_PHONE_COLUMN' } } });

    const report = await bodyOf(postCsv(t, UNUSUAL, 'phone_column=Kontak%20Utama&category_column=grup&name_column=Pelanggan'), 201);
    expect(report).toMatchObject({ status: 'completed', inserted: 2, invalid: 0 });
    expect(await categoryOf(t, e164(SITI))).toBe('Prospek');
    expect(await nameOf(e164(BUDI))).toBe('Budi');
  });

  it('when columns are given by 1-based position, then those are read, even over recognized headers', async () => {
    const [home, office] = [uniqueMobile(), uniqueMobile()];
    const csv = csvFile([['phone', 'hp_kantor', 'kategori', 'nama'], [dashed(home), dashed(office), 'Lead', 'Agus']]);
    const report = await bodyOf(postCsv(t, csv, 'phone_column=2&category_column=3&name_column=4'), 201);
    expect(report).toMatchObject({ inserted: 1 });
    expect(await categoryOf(t, e164(office))).toBe('Lead');
    expect(await categoryOf(t, e164(home))).toBeNull();
    expect(await nameOf(e164(office))).toBe('Agus');
  });

  it('when a chosen column is not in the file, then the file fails with NO_SUCH_COLUMN (or NO_PHONE_COLUMN) and changes nothing', async () => {
    const category = await postCsv(t, UNUSUAL, 'phone_column=2&category_column=Segment');
    expect(category.status).toBe(422);
    expect(await category.json()).toMatchObject({ error: { details: { reason: 'NO_SUCH_COLUMN', column: 'Segment', role: 'category' } } });
    const phone = await postCsv(t, UNUSUAL, 'phone_column=9');
    expect(await phone.json()).toMatchObject({ error: { details: { reason: 'NO_PHONE_COLUMN', column: '9' } } });
  });
});
