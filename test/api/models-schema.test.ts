import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes, type ModelStatic, type Model } from 'sequelize';
import { defineModels } from '../../src/db/models.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

interface Column {
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  has_default: boolean;
}

/** information_schema's name for each Sequelize data type the models use. */
const PG_TYPE: Record<string, string> = {
  INTEGER: 'integer',
  BIGINT: 'bigint',
  TEXT: 'text',
  STRING: 'character varying',
  DATE: 'timestamp with time zone',
  BOOLEAN: 'boolean',
  JSONB: 'jsonb',
  BLOB: 'bytea',
  ARRAY: 'ARRAY',
};

async function columnsOf(table: string): Promise<Column[]> {
  return db.sequelize.query<Column>(
    `SELECT column_name, data_type, is_nullable, (column_default IS NOT NULL OR is_identity = 'YES') AS has_default
     FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
    { bind: [table], type: QueryTypes.SELECT },
  );
}

function describeModel(model: ModelStatic<Model>): Column[] {
  return Object.values(model.getAttributes())
    .map((attribute) => ({
      column_name: attribute.field ?? '',
      data_type: PG_TYPE[(attribute.type as { key: string }).key] ?? `unknown ${(attribute.type as { key: string }).key}`,
      is_nullable: (attribute.allowNull === false || attribute.primaryKey ? 'NO' : 'YES') as Column['is_nullable'],
      has_default: attribute.defaultValue !== undefined || attribute.autoIncrement === true,
    }))
    .sort((a, b) => a.column_name.localeCompare(b.column_name));
}

describe('models and the migrated schema', () => {
  const models = () => Object.values(defineModels(db.sequelize)) as unknown as ModelStatic<Model>[];

  it('when the models are defined, then there is one for each table the data layer names', () => {
    expect(models().map((model) => model.getTableName())).toEqual([
      'categories',
      'phone_numbers',
      'sender_identities',
      'imports',
      'api_keys',
      'audit_log',
    ]);
  });

  it('when each model is compared with its migrated table, then every column, type, nullability and default matches', async () => {
    for (const model of models()) {
      const table = String(model.getTableName());
      const columns = await columnsOf(table);
      expect(columns.length, table).toBeGreaterThan(0);
      expect(describeModel(model), table).toEqual(columns);
    }
  });
});
