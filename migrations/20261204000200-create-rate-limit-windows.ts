import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Per-key request counts per minute, shared by every API process on the database, so N processes
 * allow a key its limit once, not N times. Processes take tokens in blocks (see SharedRateLimiter),
 * so this is written a few times a minute per key, not per request. UNLOGGED: the counts matter for
 * a minute; after a crash the table starts empty, which only forgives the current minute.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE UNLOGGED TABLE rate_limit_windows (
      key_id       integer NOT NULL,
      window_start timestamptz NOT NULL,
      used         integer NOT NULL,
      last_grant   integer NOT NULL,
      PRIMARY KEY (key_id, window_start)
    );
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('DROP TABLE rate_limit_windows');
}
