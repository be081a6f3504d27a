import type { MigrationContext } from '../src/db/migrator.js';

/**
 * A contact's name, so that a bot can greet. Searchable through its own trigram index, partial on
 * names that exist: an import of numbers without names writes no entries into it (each GIN index an
 * import writes costs about as much as the COPY itself, migration 20261122000600).
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    ALTER TABLE phone_numbers ADD COLUMN name varchar(200);
    CREATE INDEX phone_numbers_name_trgm_idx ON phone_numbers USING gin (name gin_trgm_ops) WHERE name IS NOT NULL;
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    DROP INDEX phone_numbers_name_trgm_idx;
    ALTER TABLE phone_numbers DROP COLUMN name;
  `);
}
