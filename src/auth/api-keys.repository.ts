import { fn } from 'sequelize';
import { modelsOf } from '../db/models.js';
import { mutateRows, queryOne, queryRows, type Queryable } from '../db/query.js';
import type { StoredApiKey } from './api-key-cache.js';
import type { Role } from './roles.js';

export interface ApiKeyRow {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Every column but the hash: the hash never leaves the repository except to check a key. */
const SHOWN = ['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'] as const;

export async function insertApiKey(db: Queryable, input: { name: string; role: Role; prefix: string; keyHash: Buffer }): Promise<ApiKeyRow> {
  const { ApiKey } = modelsOf(db.sequelize);
  const created = await ApiKey.create({ name: input.name, role: input.role, prefix: input.prefix, key_hash: input.keyHash }, { transaction: db.transaction });
  // INSERT … RETURNING brings back the database's defaults (created_at), so this is one round trip.
  const row = created.get({ plain: true });
  return Object.fromEntries(SHOWN.map((column) => [column, row[column]])) as unknown as ApiKeyRow;
}

export async function findAllApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  const { ApiKey } = modelsOf(db.sequelize);
  return (await ApiKey.findAll({ attributes: [...SHOWN], order: [['id', 'ASC']], raw: true, transaction: db.transaction })) as ApiKeyRow[];
}

export async function countActiveApiKeys(db: Queryable): Promise<number> {
  const { ApiKey } = modelsOf(db.sequelize);
  return ApiKey.count({ where: { revoked_at: null }, transaction: db.transaction });
}

/**
 * What authentication needs of a key, by its visible prefix. SQL, not the model: it is on the path
 * of requests whose key the cache does not hold, and made-up keys are counted by this statement.
 */
export function findStoredKey(db: Queryable, prefix: string): Promise<StoredApiKey | null> {
  return queryOne<StoredApiKey>(db, 'SELECT id, name, role, key_hash, revoked_at FROM api_keys WHERE prefix = $1', [prefix]);
}

export async function touchLastUsed(db: Queryable, id: number): Promise<void> {
  const { ApiKey } = modelsOf(db.sequelize);
  await ApiKey.update({ last_used_at: fn('now') }, { where: { id }, transaction: db.transaction });
}

/** Revokes by id or prefix; a key already revoked keeps its first revocation time. */
export async function revokeApiKeyRow(db: Queryable, id: number | null, prefix: string | null): Promise<ApiKeyRow | null> {
  const [row] = await mutateRows<ApiKeyRow>(
    db,
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
     WHERE ($1::int IS NOT NULL AND id = $1) OR ($2::text IS NOT NULL AND prefix = $2)
     RETURNING ${SHOWN.join(', ')}`,
    [id, prefix],
  );
  return row ?? null;
}

/**
 * The active admin rows, locked in id order, so two admins revoking each other at once neither both
 * pass nor deadlock.
 */
export async function lockActiveAdmins(db: Queryable): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(db, `SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE`);
  return rows.map((row) => row.id);
}
