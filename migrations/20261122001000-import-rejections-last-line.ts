import type { MigrationContext } from '../src/db/migrator.js';

/** A rejection that covers several lines (a stray quote ran over them) says where it ends. */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('ALTER TABLE import_rejections ADD COLUMN last_line integer');
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('ALTER TABLE import_rejections DROP COLUMN last_line');
}
