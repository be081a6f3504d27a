import type { MigrationContext } from '../src/db/migrator.js';

/** Whether an import's category was for every row or only for rows without their own: its report says which. */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('ALTER TABLE imports ADD COLUMN category_for_every_row boolean NOT NULL DEFAULT false');
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('ALTER TABLE imports DROP COLUMN category_for_every_row');
}
