import pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBenchDatabase } from '../bench-database.js';
import { createMigrator, migrateAndSeed } from '../../src/db/migrator.js';

/**
 * npm run bench:triggers
 *
 * A 10,000-row UPDATE of sender_identities and of phone_numbers on a connection that first ran two
 * one-row updates (as a pooled connection does), with the statement triggers as they are, then as
 * they were before migration 20261204000100 (undone in the same run): PL/pgSQL kept the one-row
 * plan of the OLD-NEW join, a nested loop, for the big update.
 */
const ROWS = 10_000;
const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-triggers-'));
const database = await startBenchDatabase({ dataDir, persistent: false, name: 'bench_triggers' });
const { url, sequelize } = database;
try {
  await migrateAndSeed(sequelize);
  const setup = new pg.Client(url);
  await setup.connect();
  const [category] = (await setup.query<{ id: number }>('SELECT id FROM categories ORDER BY id LIMIT 1')).rows;
  await setup.query(
    `INSERT INTO sender_identities (id, kind, normalized_number, taught_by)
     SELECT (100000000000000 + g)::text || '@lid', 'lid', '+628' || (1000000000 + g)::text, 'bench' FROM generate_series(1, $1::int) g`,
    [ROWS],
  );
  await setup.query(
    `INSERT INTO phone_numbers (original_number, normalized_number, number_type, category_id)
     SELECT 'bench', '+628' || (2000000000 + g)::text, 'MOBILE', $2 FROM generate_series(1, $1::int) g`,
    [ROWS, category!.id],
  );
  await setup.end();

  const measure = async () => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      const timed = async (sql: string) => {
        const started = performance.now();
        await client.query(sql);
        return performance.now() - started;
      };
      // Two one-row updates first: the trigger's plan is made, and kept, for one row.
      for (let i = 0; i < 2; i += 1) await client.query(`UPDATE sender_identities SET last_seen_at = now() WHERE id = '100000000000001@lid'`);
      const identities = await timed('UPDATE sender_identities SET last_seen_at = now()');
      for (let i = 0; i < 2; i += 1) await client.query(`UPDATE phone_numbers SET name = 'a' WHERE normalized_number = '+6282000000001'`);
      const numbers = await timed(`UPDATE phone_numbers SET name = 'b'`);
      return { identities, numbers };
    } finally {
      await client.end();
    }
  };
  const now = await measure();
  await createMigrator(sequelize).down({ to: '20261204000100-trigger-queries-without-joins' });
  const before = await measure();
  const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
  console.log(`bench:triggers — ${ROWS.toLocaleString('en')}-row updates after two one-row updates on the same connection`);
  console.log(`sender_identities: ${ms(now.identities)} now, ${ms(before.identities)} before 20261204000100 (${(before.identities / now.identities).toFixed(0)}x)`);
  console.log(`phone_numbers:     ${ms(now.numbers)} now, ${ms(before.numbers)} before 20261204000100 (${(before.numbers / now.numbers).toFixed(0)}x)`);
} finally {
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}
