import { queryOne, queryRows, type Queryable } from '../db/query.js';
import type { PhoneNumber } from './phone-numbers.schemas.js';

export interface PhoneNumberRow {
  id: number;
  original_number: string;
  normalized_number: string;
  number_type: string | null;
  category_id: number;
  category_name: string;
  created_at: Date;
  updated_at: Date;
}

export const SELECT_PHONE_NUMBER = `
  SELECT p.id, p.original_number, p.normalized_number, p.number_type, p.category_id,
         c.name AS category_name, p.created_at, p.updated_at
  FROM phone_numbers p JOIN categories c ON c.id = p.category_id`;

export function toPhoneNumber(row: PhoneNumberRow): PhoneNumber {
  return {
    id: row.id,
    original_number: row.original_number,
    normalized_number: row.normalized_number,
    number_type: row.number_type,
    category: { id: row.category_id, name: row.category_name },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function findPhoneNumberById(db: Queryable, id: number): Promise<PhoneNumber | null> {
  const row = await queryOne<PhoneNumberRow>(db, `${SELECT_PHONE_NUMBER} WHERE p.id = $1`, [id]);
  return row && toPhoneNumber(row);
}

export async function findPhoneNumberByNormalized(db: Queryable, normalized: string): Promise<PhoneNumber | null> {
  const row = await queryOne<PhoneNumberRow>(db, `${SELECT_PHONE_NUMBER} WHERE p.normalized_number = $1`, [normalized]);
  return row && toPhoneNumber(row);
}

export interface PageRequest {
  search?: string | undefined;
  categoryId?: number | undefined;
  afterId?: number | undefined;
  limit: number;
}

/** Escapes LIKE wildcards so that a search for "10%" means the characters, not a pattern. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Newest first, keyset on id: stable under concurrent inserts, and every page costs the same. */
export async function findPhoneNumberPage(db: Queryable, page: PageRequest): Promise<PhoneNumber[]> {
  const conditions: string[] = [];
  const bind: unknown[] = [];
  const param = (value: unknown) => {
    bind.push(value);
    return `$${bind.length}`;
  };
  if (page.categoryId !== undefined) conditions.push(`p.category_id = ${param(page.categoryId)}`);
  if (page.afterId !== undefined) conditions.push(`p.id < ${param(page.afterId)}`);
  if (page.search) {
    const pattern = param(likePattern(page.search));
    conditions.push(`(p.original_number ILIKE ${pattern} OR p.normalized_number ILIKE ${pattern} OR c.name ILIKE ${pattern})`);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await queryRows<PhoneNumberRow>(
    db,
    `${SELECT_PHONE_NUMBER} ${where} ORDER BY p.id DESC LIMIT ${param(page.limit)}`,
    bind,
  );
  return rows.map(toPhoneNumber);
}
