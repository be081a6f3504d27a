import type { MigrationContext } from '../src/db/migrator.js';

/** How many of an import's numbers came from cells that held several (`0812… / 0813…`). */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('ALTER TABLE imports ADD COLUMN numbers_from_split_cells integer NOT NULL DEFAULT 0');
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('ALTER TABLE imports DROP COLUMN numbers_from_split_cells');
}
