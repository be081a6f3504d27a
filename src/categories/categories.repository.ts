import type { Actor } from '../auth/roles.js';
import { modelsOf } from '../db/models.js';
import { execute, mutateRows, queryOne, queryRows, type Queryable } from '../db/query.js';
import type { Category } from './categories.schemas.js';

interface CategoryRow {
  id: number;
  name: string;
  description: string | null;
  phone_count: number;
  created_at: Date;
  updated_at: Date;
}

const SELECT_CATEGORY = `
  SELECT c.id, c.name, c.description, c.created_at, c.updated_at,
         (SELECT coalesce(sum(d.delta), 0)::bigint FROM phone_number_count_deltas d WHERE d.category_id = c.id) AS phone_count
  FROM categories c`;

function toCategory(row: CategoryRow): Category {
  return { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}

export async function findAllCategories(db: Queryable): Promise<Category[]> {
  const rows = await queryRows<CategoryRow>(db, `${SELECT_CATEGORY} ORDER BY c.id`);
  return rows.map(toCategory);
}

export async function findCategoryById(db: Queryable, id: number): Promise<Category | null> {
  const row = await queryOne<CategoryRow>(db, `${SELECT_CATEGORY} WHERE c.id = $1`, [id]);
  return row && toCategory(row);
}

export async function findCategoryByName(db: Queryable, name: string): Promise<Category | null> {
  const row = await queryOne<CategoryRow>(db, `${SELECT_CATEGORY} WHERE lower(c.name) = lower($1)`, [name.trim()]);
  return row && toCategory(row);
}

/** Ids of the categories whose names match an ILIKE pattern (a few dozen rows: no index needed). */
export async function findCategoryIdsByNamePattern(db: Queryable, pattern: string): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(db, 'SELECT id FROM categories WHERE name ILIKE $1', [pattern]);
  return rows.map((row) => row.id);
}

export async function insertCategory(db: Queryable, input: { name: string; description: string | null }): Promise<number> {
  const { Category } = modelsOf(db.sequelize);
  const created = await Category.create(input, { transaction: db.transaction });
  return created.id;
}

/** Changes only what is given; `description: null` clears it. */
export async function updateCategoryRow(db: Queryable, id: number, changes: { name?: string; description?: string | null }): Promise<void> {
  const { Category } = modelsOf(db.sequelize);
  await Category.update(changes, { where: { id }, transaction: db.transaction });
}

/** Locks the rows in id order, so two deletes moving numbers into each other cannot deadlock. */
export async function lockCategories(db: Queryable, ids: number[]): Promise<number[]> {
  const rows = await mutateRows<{ id: number }>(db, 'SELECT id FROM categories WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [
    [...ids].sort((a, b) => a - b),
  ]);
  return rows.map((row) => row.id);
}

export async function deleteCategoryRow(db: Queryable, id: number): Promise<{ name: string; description: string | null } | null> {
  const [deleted] = await mutateRows<{ name: string; description: string | null }>(db, 'DELETE FROM categories WHERE id = $1 RETURNING name, description', [id]);
  return deleted ?? null;
}

export async function countNumbersInCategory(db: Queryable, id: number): Promise<number> {
  const { PhoneNumber } = modelsOf(db.sequelize);
  return PhoneNumber.count({ where: { category_id: id }, transaction: db.transaction });
}

/** Moves every number of a category, each with an audit entry naming who asked: set-based, whatever the count. */
export async function moveAllNumbers(db: Queryable, actor: Actor | undefined, fromId: number, toId: number): Promise<number> {
  await execute(
    db,
    `INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, old_value, new_value)
     SELECT $3, $4, 'phone_number.move', 'phone_number', id, jsonb_build_object('category_id', $1::int), jsonb_build_object('category_id', $2::int)
     FROM phone_numbers WHERE category_id = $1`,
    [fromId, toId, actor?.keyId ?? null, actor?.name ?? 'system'],
  );
  return execute(db, 'UPDATE phone_numbers SET category_id = $2 WHERE category_id = $1', [fromId, toId]);
}

/**
 * Deletes every number of a category; each deleted number's history ends with its deletion and who
 * asked for it, as a single delete's does: one statement, whatever the count.
 */
export async function deleteAllNumbers(db: Queryable, actor: Actor | undefined, categoryId: number): Promise<number> {
  return execute(
    db,
    `WITH gone AS (DELETE FROM phone_numbers WHERE category_id = $1 RETURNING id, normalized_number, category_id)
     INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, old_value)
     SELECT $2, $3, 'phone_number.delete', 'phone_number', id, jsonb_build_object('normalized_number', normalized_number, 'category_id', category_id)
     FROM gone`,
    [categoryId, actor?.keyId ?? null, actor?.name ?? 'system'],
  );
}

export interface ExportedNumber {
  id: number;
  normalized_number: string;
  original_number: string;
  created_at: Date;
  name: string | null;
}

/** One page of a category's numbers for its export, by id. */
export function findExportPage(db: Queryable, categoryId: number, afterId: number, limit: number): Promise<ExportedNumber[]> {
  return queryRows<ExportedNumber>(
    db,
    `SELECT id, normalized_number, original_number, created_at, name FROM phone_numbers
     WHERE category_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [categoryId, afterId, limit],
  );
}

export async function findCategoryNames(db: Queryable): Promise<string[]> {
  const { Category } = modelsOf(db.sequelize);
  const rows = await Category.findAll({ attributes: ['name'], raw: true, transaction: db.transaction });
  return rows.map((row) => row.name);
}
