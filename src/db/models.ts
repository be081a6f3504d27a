import {
  DataTypes,
  fn,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/**
 * The tables that single-row reads and writes go through, as Sequelize models. The migrations own the
 * schema (test/api/models-schema.test.ts holds the two together); the models only describe it, so:
 * - no `sync()`, and `timestamps: false`: `created_at` is `now()` and the `updated_at` triggers are the
 *   database's, so every clock in a row is PostgreSQL's, as it was before the models;
 * - the classes are made per Sequelize instance (a test process opens several databases, and a model
 *   class belongs to one instance).
 * Repositories return plain objects (`{ raw: true }` or `.get({ plain: true })`), never instances.
 */
export function defineModels(sequelize: Sequelize) {
  const common = { sequelize, timestamps: false, underscored: true } as const;
  // The migrations' defaults, repeated so that Sequelize's not-null check lets a row go without them;
  // the schema test holds the two lists of defaulted columns together.
  const now = fn('now');

  class Category extends Model<InferAttributes<Category>, InferCreationAttributes<Category>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare description: string | null;
    declare created_at: CreationOptional<Date>;
    declare updated_at: CreationOptional<Date>;
  }
  Category.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
    },
    { ...common, tableName: 'categories', modelName: 'Category' },
  );

  class PhoneNumber extends Model<InferAttributes<PhoneNumber>, InferCreationAttributes<PhoneNumber>> {
    declare id: CreationOptional<number>;
    declare original_number: string;
    declare normalized_number: string;
    declare category_id: ForeignKey<number>;
    declare number_type: string | null;
    declare name: string | null;
    declare filed_by_import_id: CreationOptional<number | null>;
    declare created_at: CreationOptional<Date>;
    declare updated_at: CreationOptional<Date>;
  }
  PhoneNumber.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      original_number: { type: DataTypes.STRING, allowNull: false },
      normalized_number: { type: DataTypes.STRING, allowNull: false, unique: true },
      category_id: { type: DataTypes.INTEGER, allowNull: false },
      number_type: { type: DataTypes.STRING, allowNull: true },
      name: { type: DataTypes.STRING, allowNull: true },
      filed_by_import_id: { type: DataTypes.BIGINT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
    },
    { ...common, tableName: 'phone_numbers', modelName: 'PhoneNumber' },
  );

  /** A LID or BSUID paired with a phone number (joined by the number, not by a row id). */
  class Identity extends Model<InferAttributes<Identity>, InferCreationAttributes<Identity>> {
    declare id: string;
    declare kind: 'lid' | 'bsuid';
    declare normalized_number: string;
    declare first_seen_at: CreationOptional<Date>;
    declare last_seen_at: CreationOptional<Date>;
    declare taught_by_key_id: number | null;
    declare taught_by: string;
  }
  Identity.init(
    {
      id: { type: DataTypes.STRING, primaryKey: true },
      kind: { type: DataTypes.TEXT, allowNull: false },
      normalized_number: { type: DataTypes.STRING, allowNull: false },
      first_seen_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      last_seen_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      taught_by_key_id: { type: DataTypes.INTEGER, allowNull: true },
      taught_by: { type: DataTypes.TEXT, allowNull: false },
    },
    { ...common, tableName: 'sender_identities', modelName: 'Identity' },
  );

  class ImportRun extends Model<InferAttributes<ImportRun>, InferCreationAttributes<ImportRun>> {
    declare id: CreationOptional<number>;
    declare status: 'running' | 'completed' | 'failed';
    declare source: 'cli' | 'http' | 'web';
    declare filename: string | null;
    declare created_by: string | null;
    declare dry_run: boolean;
    declare on_duplicate: 'skip' | 'move';
    declare category: string | null;
    declare create_categories: CreationOptional<boolean>;
    declare category_for_every_row: CreationOptional<boolean>;
    declare bytes_total: number | null;
    declare bytes_read: CreationOptional<number>;
    declare rows_total: CreationOptional<number>;
    declare inserted: CreationOptional<number>;
    declare moved: CreationOptional<number>;
    declare duplicates_in_file: CreationOptional<number>;
    declare already_present: CreationOptional<number>;
    declare invalid: CreationOptional<number>;
    declare numbers_from_split_cells: CreationOptional<number>;
    declare categories_created: CreationOptional<string[]>;
    declare failure_reason: CreationOptional<string | null>;
    declare failure_message: CreationOptional<string | null>;
    declare started_at: CreationOptional<Date>;
    declare finished_at: CreationOptional<Date | null>;
    declare heartbeat_at: CreationOptional<Date>;
    declare reverted_at: CreationOptional<Date | null>;
  }
  // A fresh object each time: init() writes the column name into the attribute it is given.
  const count = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  ImportRun.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      status: { type: DataTypes.TEXT, allowNull: false },
      source: { type: DataTypes.TEXT, allowNull: false },
      filename: { type: DataTypes.TEXT, allowNull: true },
      created_by: { type: DataTypes.TEXT, allowNull: true },
      dry_run: { type: DataTypes.BOOLEAN, allowNull: false },
      on_duplicate: { type: DataTypes.TEXT, allowNull: false },
      category: { type: DataTypes.TEXT, allowNull: true },
      create_categories: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      category_for_every_row: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      bytes_total: { type: DataTypes.BIGINT, allowNull: true },
      bytes_read: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      rows_total: count(),
      inserted: count(),
      moved: count(),
      duplicates_in_file: count(),
      already_present: count(),
      invalid: count(),
      numbers_from_split_cells: count(),
      categories_created: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
      failure_reason: { type: DataTypes.TEXT, allowNull: true },
      failure_message: { type: DataTypes.TEXT, allowNull: true },
      started_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      finished_at: { type: DataTypes.DATE, allowNull: true },
      heartbeat_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      reverted_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...common, tableName: 'imports', modelName: 'ImportRun' },
  );

  class ApiKey extends Model<InferAttributes<ApiKey>, InferCreationAttributes<ApiKey>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare role: 'bot' | 'staff' | 'admin';
    declare prefix: string;
    declare key_hash: Buffer;
    declare created_at: CreationOptional<Date>;
    declare last_used_at: CreationOptional<Date | null>;
    declare revoked_at: CreationOptional<Date | null>;
  }
  ApiKey.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      role: { type: DataTypes.TEXT, allowNull: false },
      prefix: { type: DataTypes.TEXT, allowNull: false, unique: true },
      key_hash: { type: DataTypes.BLOB, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
      last_used_at: { type: DataTypes.DATE, allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...common, tableName: 'api_keys', modelName: 'ApiKey' },
  );

  class AuditEntry extends Model<InferAttributes<AuditEntry>, InferCreationAttributes<AuditEntry>> {
    declare id: CreationOptional<number>;
    declare at: CreationOptional<Date>;
    declare actor_key_id: number | null;
    declare actor: string;
    declare action: string;
    declare entity_type: string;
    declare entity_id: number | null;
    declare import_id: number | null;
    declare old_value: unknown;
    declare new_value: unknown;
  }
  AuditEntry.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      at: { type: DataTypes.DATE, allowNull: false, defaultValue: fn('clock_timestamp') },
      actor_key_id: { type: DataTypes.INTEGER, allowNull: true },
      actor: { type: DataTypes.TEXT, allowNull: false },
      action: { type: DataTypes.TEXT, allowNull: false },
      entity_type: { type: DataTypes.TEXT, allowNull: false },
      entity_id: { type: DataTypes.BIGINT, allowNull: true },
      import_id: { type: DataTypes.BIGINT, allowNull: true },
      old_value: { type: DataTypes.JSONB, allowNull: true },
      new_value: { type: DataTypes.JSONB, allowNull: true },
    },
    { ...common, tableName: 'audit_log', modelName: 'AuditEntry' },
  );

  // The foreign keys the migrations declare; `constraints: false` because the migrations, not
  // Sequelize, create and enforce them.
  const declared = { constraints: false } as const;
  PhoneNumber.belongsTo(Category, { ...declared, foreignKey: 'category_id', as: 'category' });
  Category.hasMany(PhoneNumber, { ...declared, foreignKey: 'category_id', as: 'phoneNumbers' });
  PhoneNumber.belongsTo(ImportRun, { ...declared, foreignKey: 'filed_by_import_id', as: 'filedByImport' });
  PhoneNumber.hasMany(Identity, { ...declared, foreignKey: 'normalized_number', sourceKey: 'normalized_number', as: 'identities' });
  Identity.belongsTo(ApiKey, { ...declared, foreignKey: 'taught_by_key_id', as: 'taughtBy' });
  AuditEntry.belongsTo(ApiKey, { ...declared, foreignKey: 'actor_key_id', as: 'actorKey' });
  AuditEntry.belongsTo(ImportRun, { ...declared, foreignKey: 'import_id', as: 'importRun' });

  return { Category, PhoneNumber, Identity, ImportRun, ApiKey, AuditEntry };
}

export type Models = ReturnType<typeof defineModels>;

const defined = new WeakMap<Sequelize, Models>();

/** The models bound to this Sequelize instance, defined on first use. */
export function modelsOf(sequelize: Sequelize): Models {
  let models = defined.get(sequelize);
  if (!models) {
    models = defineModels(sequelize);
    defined.set(sequelize, models);
  }
  return models;
}
