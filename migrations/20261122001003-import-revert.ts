import type { MigrationContext } from '../src/db/migrator.js';

/**
 * An import can be reverted once: `reverted_at` says when. A revert finds the numbers the import
 * moved or renamed through their audit rows, by import: a partial index on those (imports write
 * one audit row per moved number, not per filed one, so it costs a bulk insert of new numbers nothing).
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    ALTER TABLE imports ADD COLUMN reverted_at timestamptz;
    CREATE INDEX audit_log_import_idx ON audit_log (import_id, entity_id) WHERE import_id IS NOT NULL;
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    DROP INDEX audit_log_import_idx;
    ALTER TABLE imports DROP COLUMN reverted_at;
  `);
}
