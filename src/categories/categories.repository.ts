import { queryOne, queryRows, type Queryable } from '../db/query.js';
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
