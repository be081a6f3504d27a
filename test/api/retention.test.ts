import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../src/retention/retention.service.js';
import { postCsv } from '../helpers/csv.js';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ auditRetentionDays: 30 });
});
afterAll(() => t.close());

const count = async (sql: string) => ((await t.db.sequelize.query(sql))[0] as Array<{ n: number }>)[0]!.n;

describe('retention', () => {
  it('when audit entries and rejections are older than their retention, then the purge removes them in batches and keeps the recent ones and erasure records', async () => {
    const category = await makeCategory(t);
    const number = await fileNumber(t, uniqueMobile(), category.id);
    await postCsv(t, 'phone\n0812\n12\n', `category=${encodeURIComponent(category.name)}`);
    await postCsv(t, 'phone\nabc\n', `category=${encodeURIComponent(category.name)}`);
    // Age some of it: three old audit rows (one an erasure record) and the first import.
    await t.db.sequelize.query(
      `INSERT INTO audit_log (at, actor, action, entity_type) SELECT now() - interval '400 days', 'old', a, 'phone_number' FROM unnest(ARRAY['phone_number.move', 'phone_number.list', 'erasure']) a`,
    );
    await t.db.sequelize.query(`UPDATE imports SET started_at = now() - interval '100 days', finished_at = now() - interval '100 days' WHERE id = (SELECT min(id) FROM imports)`);
    const recentAudit = await count(`SELECT count(*)::int AS n FROM audit_log WHERE at > now() - interval '1 day'`);

    const purged = await purgeExpired({ sequelize: t.db.sequelize }, { auditDays: 365, rejectionDays: 90 }, 1);
    expect(purged).toEqual({ audit_entries: 2, rejections: 2 });
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE at < now() - interval '365 days'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE at > now() - interval '1 day'`)).toBe(recentAudit);
    expect(await count('SELECT count(*)::int AS n FROM import_rejections')).toBe(1);

    const history = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'][':id'].history.$get({ param: { id: String(number.id) } }), 200);
    expect(Date.now() - Date.parse(history.history_since!)).toBeGreaterThan(29 * 86_400_000);
    expect(Date.now() - Date.parse(history.history_since!)).toBeLessThan(31 * 86_400_000);
  });

  it('when another process is purging, then this one leaves it to that one', async () => {
    // The lock is held by this transaction's connection; the purge asks from another one.
    const whileHeld = await t.db.sequelize.transaction(async (transaction) => {
      await t.db.sequelize.query('SELECT pg_advisory_xact_lock(7350001)', { transaction });
      return purgeExpired({ sequelize: t.db.sequelize }, { auditDays: 1, rejectionDays: 1 });
    });
    expect(whileHeld).toEqual({ audit_entries: 0, rejections: 0 });
  });
});
