import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createMigrator, createSeeder } from '../../src/db/migrator.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function tables(): Promise<string[]> {
  const rows = await db.sequelize.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'schema_%' ORDER BY 1",
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.table_name);
}

describe('migrations', () => {
  it('when every migration is undone and redone, then the schema comes back whole', async () => {
    const migrator = createMigrator(db.sequelize);
    const applied = (await migrator.executed()).map((step) => step.name);
    expect(applied.length).toBeGreaterThan(0);
    const before = await tables();

    await db.sequelize.query('DELETE FROM schema_seeds');
    await migrator.down({ to: 0 });
    expect(await tables()).toEqual([]);

    await migrator.up();
    expect(await tables()).toEqual(before);
    expect((await migrator.executed()).map((step) => step.name)).toEqual(applied);
  });

  it('when the seeders run twice, then nothing changes the second time', async () => {
    const seeder = createSeeder(db.sequelize);
    await seeder.up();
    const count = async () => (await db.sequelize.query<{ n: number }>('SELECT count(*) AS n FROM categories', { type: QueryTypes.SELECT }))[0]!.n;
    const first = await count();
    await db.sequelize.query('DELETE FROM schema_seeds');
    await seeder.up();
    expect(await count()).toBe(first);
    expect(first).toBe(5);
  });

  it('when a row breaks the E.164 rule or points at no category, then the database itself refuses it', async () => {
    await expect(
      db.sequelize.query("INSERT INTO phone_numbers (original_number, normalized_number, category_id) VALUES ('x', '0812', 1)"),
    ).rejects.toThrow(/e164/);
    await expect(
      db.sequelize.query("INSERT INTO phone_numbers (original_number, normalized_number, category_id) VALUES ('x', '+628123456789', 999999)"),
    ).rejects.toThrow(/foreign key/);
  });
});
