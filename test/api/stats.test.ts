import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, type ImportCsvOptions } from '../../src/imports/pipeline/import-csv.js';
import { compactCountDeltas } from '../../src/stats/stats.repository.js';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function countedByDatabase(): Promise<Record<number, number>> {
  const [rows] = await t.db.sequelize.query('SELECT category_id, count(*)::int AS n FROM phone_numbers GROUP BY category_id');
  return Object.fromEntries((rows as Array<{ category_id: number; n: number }>).map((row) => [row.category_id, row.n]));
}

function stats() {
  return bodyOf(clientAs(t, 'staff').v1.stats.$get({ query: {} }), 200);
}

function expectEqualToCounting(body: Awaited<ReturnType<typeof stats>>, counted: Record<number, number>) {
  for (const category of body.by_category) expect(category.count, category.name).toBe(counted[category.id] ?? 0);
  expect(body.total_numbers).toBe(Object.values(counted).reduce((sum, n) => sum + n, 0));
}

describe('GET /v1/stats', () => {
  it('when numbers are filed, moved, deleted and imported concurrently, then every count equals count(*) per category', async () => {
    const a = await makeCategory(t, 'Stats A');
    const b = await makeCategory(t, 'Stats B');
    const filed = [];
    for (let i = 0; i < 5; i += 1) filed.push(await fileNumber(t, uniqueMobile(), a.id));
    await t.request(`/v1/phone-numbers/${filed[0]!.id}`, { method: 'PATCH', json: { category_id: b.id } });
    await t.request(`/v1/phone-numbers/${filed[1]!.id}`, { method: 'DELETE' });

    const ctx = { sequelize: t.db.sequelize, defaultRegion: 'ID' as const };
    const options: ImportCsvOptions = { source: 'cli', filename: null, onDuplicate: 'move', dryRun: false, createCategories: false };
    const csv = (from: number, to: number, category: string) =>
      ['phone,category', ...Array.from({ length: to - from }, (_, i) => `0859${String(30_000_000 + from + i)},${category}`)].join('\n');
    await Promise.all([
      importCsv(ctx, Readable.from([csv(0, 30_000, a.name)]), options),
      importCsv(ctx, Readable.from([csv(20_000, 40_000, b.name)]), options),
      t.request(`/v1/categories/${a.id}`, { as: 'bot' }),
    ]);

    const body = await stats();
    expectEqualToCounting(body, await countedByDatabase());
    expect(body.total_categories).toBeGreaterThanOrEqual(7);
    const today = new Date().toISOString().slice(0, 10);
    expect(body.created_per_day.at(-1)).toEqual({ date: today, count: body.total_numbers });
    expect(body.imports.completed).toBeGreaterThanOrEqual(2);

    const category = await bodyOf(clientAs(t, 'bot').v1.categories[':id'].$get({ param: { id: String(b.id) } }), 200);
    expect(category.phone_count).toBe((await countedByDatabase())[b.id]);
  });

  it('when the deltas are compacted, then the counts do not change', async () => {
    const before = await stats();
    await compactCountDeltas({ sequelize: t.db.sequelize });
    const [rows] = await t.db.sequelize.query('SELECT count(*)::int AS n FROM phone_number_count_deltas');
    expect((rows as Array<{ n: number }>)[0]!.n).toBeLessThanOrEqual(before.by_category.length);
    expect(await stats()).toEqual(before);
  });

  it('when a category is deleted with cascade or move_to, then the counts follow', async () => {
    const from = await makeCategory(t, 'Stats gone');
    const to = await makeCategory(t, 'Stats kept');
    await fileNumber(t, uniqueMobile(), from.id);
    await fileNumber(t, uniqueMobile(), from.id);
    await t.request(`/v1/categories/${from.id}?move_to=${to.id}`, { method: 'DELETE' });
    const body = await stats();
    expect(body.by_category.find((category) => category.id === to.id)?.count).toBe(2);
    expect(body.by_category.some((category) => category.id === from.id)).toBe(false);
    expectEqualToCounting(body, await countedByDatabase());
  });
});
