import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, csvFile, postCsv } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function importFile(csv: string, query = '') {
  return bodyOf(postCsv(t, csv, query), 201);
}
async function revert(id: number, as: 'staff' | 'bot' = 'staff') {
  return clientAs(t, as).v1.imports[':id'].revert.$post({ param: { id: String(id) } });
}
async function idOf(number: string): Promise<number> {
  const [rows] = await t.db.sequelize.query('SELECT id FROM phone_numbers WHERE normalized_number = $1', { bind: [number] });
  return (rows as Array<{ id: number }>)[0]!.id;
}
async function nameOf(number: string): Promise<string | null> {
  const [rows] = await t.db.sequelize.query('SELECT name FROM phone_numbers WHERE normalized_number = $1', { bind: [number] });
  return (rows as Array<{ name: string | null }>)[0]?.name ?? null;
}

describe('POST /v1/imports/{id}/revert', () => {
  it('when a skip import is reverted, then what it filed is removed, what was filed before stays, and a number changed since is kept and counted', async () => {
    const [filedBefore, imported, alsoImported, changedSince] = [uniqueMobile(), uniqueMobile(), uniqueMobile(), uniqueMobile()];
    await t.request('/v1/phone-numbers', { method: 'POST', json: { number: dashed(filedBefore), category: 'Lead' } });
    const report = await importFile(csvFile([['phone', 'category'], ...[filedBefore, imported, alsoImported, changedSince].map((number) => [dashed(number), 'Prospek'])]));
    expect(report).toMatchObject({ inserted: 3, already_present: 1 });
    // Someone moves one of the new numbers after the import: that change is theirs, not the import's.
    await t.request(`/v1/phone-numbers/${await idOf(e164(changedSince))}`, { method: 'PATCH', as: 'staff', json: { category: 'Lead' } });

    expect((await revert(report.id, 'bot')).status).toBe(403);
    const response = await revert(report.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ removed: 2, restored: 0, kept_changed: 1 });
    expect(await categoryOf(t, e164(filedBefore))).toBe('Lead');
    expect(await categoryOf(t, e164(imported))).toBeNull();
    expect(await categoryOf(t, e164(alsoImported))).toBeNull();
    expect(await categoryOf(t, e164(changedSince))).toBe('Lead');

    const again = await revert(report.id);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    const after = await bodyOf(clientAs(t).v1.imports[':id'].$get({ param: { id: String(report.id) } }), 200);
    expect(after.reverted_at).toEqual(expect.any(String));
    const [audit] = await t.db.sequelize.query("SELECT new_value FROM audit_log WHERE action = 'import.revert' AND import_id = $1", { bind: [report.id] });
    expect(audit).toEqual([{ new_value: { removed: 2, restored: 0, kept_changed: 1 } }]);
  });

  it('when a move import is reverted, then moved numbers go back with their names, and one moved again since is kept', async () => {
    const [ani, bayu, citra, dodi] = [uniqueMobile(), uniqueMobile(), uniqueMobile(), uniqueMobile()];
    await importFile(csvFile([['nama', 'phone', 'category'], ['Ani', dashed(ani), 'Lead'], ['Bayu', dashed(bayu), 'Lead'], ['Citra', dashed(citra), 'Lead']]));
    const moving = csvFile([['nama', 'phone', 'category'], ['Ani B', dashed(ani), 'Prospek'], ['Bayu B', dashed(bayu), 'Prospek'], ['Citra B', dashed(citra), 'Prospek'], ['Dodi', dashed(dodi), 'Prospek']]);
    const report = await importFile(moving, 'on_duplicate=move');
    expect(report).toMatchObject({ moved: 3, inserted: 1 });
    expect(await nameOf(e164(ani))).toBe('Ani B');
    // Moved again after the import by someone else: kept where they put it.
    await t.request(`/v1/phone-numbers/${await idOf(e164(citra))}`, { method: 'PATCH', as: 'staff', json: { category: 'Pelanggan VIP' } });

    expect(await (await revert(report.id)).json()).toEqual({ removed: 1, restored: 2, kept_changed: 1 });
    expect(await categoryOf(t, e164(ani))).toBe('Lead');
    expect(await nameOf(e164(ani))).toBe('Ani');
    expect(await categoryOf(t, e164(bayu))).toBe('Lead');
    expect(await categoryOf(t, e164(citra))).toBe('Pelanggan VIP');
    expect(await categoryOf(t, e164(dodi))).toBeNull();
    const history = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].history.$get({ param: { id: String(await idOf(e164(ani))) } }), 200);
    expect(history.events.at(-1)).toMatchObject({ event: 'moved', to_category: { name: 'Lead' } });
  });

  it('when the import was a dry run or does not exist, then 409 or 404', async () => {
    const dry = await importFile(csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead']]), 'dry_run=true');
    expect((await revert(dry.id)).status).toBe(409);
    expect((await revert(999_999)).status).toBe(404);
  });
});
