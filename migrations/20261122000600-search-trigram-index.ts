import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Substring search over filed numbers (GET /v1/phone-numbers?search=). One trigram index over both
 * the normalized and the original number, not one per column: every bulk import pays for each GIN
 * index it writes (two of them doubled the cost of a bare COPY, measured at 1M rows). The unit
 * separator (U+001F) between the two cannot occur in a search, so no match spans both.
 * The expression is repeated verbatim in phone-numbers.repository.ts, which the planner needs.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX phone_numbers_search_trgm_idx ON phone_numbers
      USING gin ((normalized_number || E'\\x1f' || original_number) gin_trgm_ops);
    CREATE INDEX categories_name_trgm_idx ON categories USING gin (name gin_trgm_ops);
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    DROP INDEX categories_name_trgm_idx;
    DROP INDEX phone_numbers_search_trgm_idx;
  `);
}
