import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Sequelize } from 'sequelize';
import { inject } from 'vitest';
import { createSequelize } from '../../src/db/sequelize.js';
import { TEMPLATE_DATABASE, withDatabase } from './database-url.js';

export interface TestDatabase {
  url: string;
  name: string;
  sequelize: Sequelize;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(inject('serverUrl'));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated and seeded database cloned from the template the global setup built. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `wa_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  const url = withDatabase(inject('serverUrl'), name);
  const sequelize = createSequelize({ url });
  return {
    url,
    name,
    sequelize,
    drop: async () => {
      await sequelize.close();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
