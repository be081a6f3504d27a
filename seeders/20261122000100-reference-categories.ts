import type { MigrationContext } from '../src/db/migrator.js';

export const REFERENCE_CATEGORIES = [
  { name: 'Pelanggan VIP', description: 'Pelanggan dengan tingkat prioritas tinggi' },
  { name: 'Pelanggan VIP 2', description: 'Pelanggan dengan tingkat prioritas tinggi level 2' },
  { name: 'Pelanggan Regular', description: 'Pelanggan reguler' },
  { name: 'Prospek', description: 'Calon pelanggan yang sudah menunjukkan minat' },
  { name: 'Lead', description: 'Kontak baru yang belum dikualifikasi' },
];

/** Idempotent: a category that exists (by name, any case) is left as the admins have it. */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  for (const category of REFERENCE_CATEGORIES) {
    await sequelize.query(
      `INSERT INTO categories (name, description) VALUES (:name, :description)
       ON CONFLICT ((lower(name))) DO NOTHING`,
      { replacements: category },
    );
  }
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  // Only categories that hold no numbers are removed; filed numbers are never dropped by a seeder.
  await sequelize.query(
    `DELETE FROM categories c WHERE lower(c.name) IN (:names)
       AND NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.category_id = c.id)`,
    { replacements: { names: REFERENCE_CATEGORIES.map((category) => category.name.toLowerCase()) } },
  );
}
