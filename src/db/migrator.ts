import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';

export interface MigrationContext {
  sequelize: Sequelize;
  queryInterface: QueryInterface;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Migrations and seeders are TypeScript files run under tsx, or their compiled .js twins in the
 * production image. The stored name drops the extension so that both count as the same step.
 */
function createRunner(sequelize: Sequelize, folder: 'migrations' | 'seeders', tableName: string, modelName: string) {
  return new Umzug<MigrationContext>({
    migrations: {
      glob: ['*.{ts,js}', { cwd: path.join(projectRoot, folder), ignore: ['*.d.ts'] }],
      resolve: ({ name, path: filePath, context }) => ({
        name: name.replace(/\.(ts|js)$/, ''),
        up: async () => (await import(filePath!)).up(context),
        down: async () => (await import(filePath!)).down(context),
      }),
    },
    context: { sequelize, queryInterface: sequelize.getQueryInterface() },
    // Each storage needs its own model name: umzug reuses a model already defined under the same name.
    storage: new SequelizeStorage({ sequelize, tableName, modelName }),
    logger: undefined,
  });
}

export const createMigrator = (sequelize: Sequelize) => createRunner(sequelize, 'migrations', 'schema_migrations', 'SchemaMigration');
export const createSeeder = (sequelize: Sequelize) => createRunner(sequelize, 'seeders', 'schema_seeds', 'SchemaSeed');

/** Any fixed number shared by every process of this service; it names the migration lock. */
const MIGRATION_LOCK_KEY = 720_451_001;

/**
 * Runs pending migrations, then pending seeders (each seeder is idempotent on its own as well).
 * Several processes may start at once against one database: an advisory lock lets one migrate
 * while the others wait, instead of racing to create the same tables.
 */
export async function migrateAndSeed(sequelize: Sequelize): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    // A migration may rewrite a large table: the pooled statement and lock limits are not for it.
    await sequelize.query("SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0", { transaction });
    await sequelize.query('SELECT pg_advisory_xact_lock(:key)', { replacements: { key: MIGRATION_LOCK_KEY }, transaction });
    await createMigrator(sequelize).up();
    await createSeeder(sequelize).up();
  });
}
