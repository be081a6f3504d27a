import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { DataTypes, Model, Sequelize } from 'sequelize';
import { normalizePhoneNumber } from '../../src/phone/normalize-phone-number.js';

/**
 * Baseline (b): the way most Sequelize code imports a spreadsheet. Rows are read with csv-parse,
 * normalized with the same function, and written with bulkCreate({ ignoreDuplicates }) 1000 at a time.
 * Prints {"ms": …} on stdout.
 */
const [file, url] = process.argv.slice(2);
const sequelize = new Sequelize(url!, { logging: false });
class PhoneNumber extends Model {}
PhoneNumber.init(
  {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    original_number: DataTypes.STRING,
    normalized_number: DataTypes.STRING,
    category_id: DataTypes.INTEGER,
    number_type: DataTypes.STRING,
  },
  { sequelize, tableName: 'phone_numbers', underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' },
);

const started = performance.now();
const [categories] = await sequelize.query('SELECT id, name FROM categories');
const categoryIds = new Map((categories as Array<{ id: number; name: string }>).map((row) => [row.name, row.id]));
let batch: Array<Record<string, unknown>> = [];
for await (const record of createReadStream(file!).pipe(parse({ columns: true, bom: true }))) {
  const row = record as { no_hp: string; kategori: string };
  const number = normalizePhoneNumber(row.no_hp, { defaultRegion: 'ID' });
  const categoryId = categoryIds.get(row.kategori);
  if (!number.valid || categoryId === undefined) continue;
  batch.push({ original_number: row.no_hp, normalized_number: number.e164, category_id: categoryId, number_type: number.type });
  if (batch.length === 1000) {
    await PhoneNumber.bulkCreate(batch, { ignoreDuplicates: true });
    batch = [];
  }
}
if (batch.length > 0) await PhoneNumber.bulkCreate(batch, { ignoreDuplicates: true });
console.log(JSON.stringify({ ms: Math.round(performance.now() - started) }));
await sequelize.close();
