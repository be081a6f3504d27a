import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Console sign-ins: the cookie holds a random session id, this table only its SHA-256, so neither the
 * browser nor a copy of the database holds an API key. A session dies with its key.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE TABLE console_sessions (
      id_hash      bytea PRIMARY KEY,
      api_key_id   integer NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
      created_at   timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX console_sessions_api_key_idx ON console_sessions (api_key_id);
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('DROP TABLE console_sessions');
}
