import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/**
 * A search that matches nothing walks every row; the database itself must stop it at the search's
 * bound, and the person must be told to type more. The bound here is 1 ms so that a scan of the
 * numbers below always outlasts it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ searchTimeoutMs: 1 });
  await t.db.sequelize.query(
    `INSERT INTO phone_numbers (normalized_number, original_number, category_id)
     SELECT '+62812' || lpad(n::text, 8, '0'), '0812' || lpad(n::text, 8, '0'), (SELECT min(id) FROM categories) FROM generate_series(1, 200000) n`,
  );
});
afterAll(() => t.close());

describe('a search past its bound', () => {
  it('when a short search matches nothing, then 422 SEARCH_TOO_BROAD and no query of it keeps running', async () => {
    const response = await t.request('/v1/phone-numbers?search=zq', { as: 'staff' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { reason: 'SEARCH_TOO_BROAD' } } });
    const [running] = await t.db.sequelize.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query ILIKE '%ILIKE%' AND pid <> pg_backend_pid()`,
    );
    expect((running as Array<{ n: number }>)[0]!.n).toBe(0);
  });

  it('when the bound stops a search, then the next search on the same pool still works', async () => {
    await t.request('/v1/phone-numbers?search=zq', { as: 'staff' });
    const page = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'].$get({ query: { limit: '5' } }), 200);
    expect(page.items).toHaveLength(5);
  });
});
