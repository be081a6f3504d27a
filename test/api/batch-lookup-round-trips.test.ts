import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileNumber, makeCategory } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/** A bot's batch names LIDs and numbers together: one statement answers all it does not know yet. */
let t: TestApp;
const statements: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  // Sequelize's own hook sees every statement the app sends through it.
  t.db.sequelize.addHook('afterQuery', (_options, query) => {
    // Sequelize types the hook's second argument loosely; the statement's text is its sql.
    statements.push(String((query as { sql?: string }).sql ?? ''));
  });
});
afterAll(() => t.close());

describe('POST /v1/lookup with ids and numbers', () => {
  it('when a batch holds unknown-to-the-process LIDs and numbers, then one statement reads ids and filings together, and the answers are right', async () => {
    const category = await makeCategory(t);
    await fileNumber(t, '081277001111', category.id);
    await fileNumber(t, '081277002222', category.id);
    const taught = await t.request('/v1/identities', { method: 'POST', as: 'bot', json: { pairs: [{ id: '201234567890111@lid', phone: '081277002222' }] } });
    expect(taught.status).toBe(200);
    await t.request('/v1/categories', { as: 'bot' }); // the key row is cached from here on

    statements.length = 0;
    const { results } = await bodyOf(
      clientAs(t, 'bot').v1.lookup.$post({ json: { numbers: ['0812-7700-1111', '201234567890111:3@lid', '209999999999999@lid', '081277003333'] } }),
      200,
    );
    expect(results.map((result) => [result.normalized_number, result.resolved_from, result.reason, result.category?.name ?? null])).toEqual([
      ['+6281277001111', 'phone', null, category.name],
      ['+6281277002222', 'lid', null, category.name],
      [null, 'lid', 'UNRESOLVED_IDENTITY', null],
      ['+6281277003333', 'phone', null, null],
    ]);
    const reads = statements.filter((sql) => /phone_numbers|sender_identities/.test(sql) && !/^\s*(INSERT|UPDATE)/i.test(sql));
    expect(reads).toHaveLength(1);
  });
});
