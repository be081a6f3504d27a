import pg from 'pg';
import type { Sequelize } from 'sequelize';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createSequelize } from '../src/db/sequelize.js';

export interface BenchDatabase {
  /** The benchmark's own database on the embedded server. */
  url: string;
  sequelize: Sequelize;
  /** Closes the pool and the admin connection, then stops the server. */
  close(): Promise<void>;
}

/**
 * An embedded PostgreSQL with one empty database of the given name, for a benchmark that migrates
 * it itself (inside its own try, so that a failed migration still stops the server).
 */
export async function startBenchDatabase(options: { dataDir: string; persistent: boolean; name: string }): Promise<BenchDatabase> {
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir, persistent: options.persistent });
  const admin = new pg.Client(server.url);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${options.name}`);
  const url = new URL(server.url);
  url.pathname = `/${options.name}`;
  const sequelize = createSequelize({ url: url.toString() });
  return {
    url: url.toString(),
    sequelize,
    close: async () => {
      await sequelize.close();
      await admin.end();
      await server.stop();
    },
  };
}
