import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { migrateAndSeed } from '../../src/db/migrator.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { TEMPLATE_DATABASE, withDatabase } from './database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
  }
}

/**
 * Starts a throwaway PostgreSQL (or uses TEST_DATABASE_URL's server), then builds one migrated and
 * seeded template database. Every test file clones the template, so files never see each other's rows.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-categories-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, persistent: false });
    serverUrl = embedded.url;
  }

  const admin = new pg.Client(serverUrl);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();

  const sequelize = createSequelize({ url: withDatabase(serverUrl, TEMPLATE_DATABASE) });
  await migrateAndSeed(sequelize);
  await sequelize.close();

  project.provide('serverUrl', serverUrl);
  return async () => {
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
