import { modelsOf } from '../db/models.js';
import { execute, inTransaction, isQueryCancelled, mutateRows, queryOne, queryRows, type Queryable } from '../db/query.js';
import { ValidationError } from '../errors.js';
import type { PhoneNumber } from './phone-numbers.schemas.js';

export interface PhoneNumberRow {
  id: number;
  original_number: string;
  normalized_number: string;
  number_type: string | null;
  name: string | null;
  category_id: number;
  category_name: string;
  created_at: Date;
  updated_at: Date;
}

const PHONE_NUMBER_COLUMNS = `p.id, p.original_number, p.normalized_number, p.number_type, p.name, p.category_id,
         c.name AS category_name, p.created_at, p.updated_at`;
const FROM_PHONE_NUMBERS = 'FROM phone_numbers p JOIN categories c ON c.id = p.category_id';
const SELECT_PHONE_NUMBER = `SELECT ${PHONE_NUMBER_COLUMNS} ${FROM_PHONE_NUMBERS}`;

export function toPhoneNumber(row: PhoneNumberRow): PhoneNumber {
  return {
    id: row.id,
    original_number: row.original_number,
    normalized_number: row.normalized_number,
    number_type: row.number_type,
    name: row.name,
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

/**
 * The text the trigram index covers (migration 20261122000600): both numbers, split by a character
 * no search contains. Written exactly as in the index, or the planner cannot use it.
 */
const SEARCH_TEXT = `(p.normalized_number || E'\\x1f' || p.original_number)`;

export interface PageRequest {
  search?: {
    /** LIKE patterns over either number, matched without regard to case. */
    numberPatterns: string[];
    /** Normalized numbers starting with this match too. */
    normalizedPrefix: string | null;
    /** Long enough for the trigram index; a shorter search matches most rows. */
    narrow: boolean;
    /** LIKE pattern over contact names, without regard to case (their own trigram index, migration 20261122001002). */
    namePattern: string | null;
    /** Numbers in these categories match too (their names matched the search). */
    categoryIds: number[];
  };
  categoryId?: number | undefined;
  /** statement_timeout of a search (SEARCH_TIMEOUT_MS unless given). */
  timeoutMs?: number | undefined;
  /** Left out: shown first, on its own, by the caller. */
  excludeNormalized?: string | null;
  afterId?: number | undefined;
  limit: number;
}

/** The least string above every string starting with `prefix` (digits after a "+"), or null if none. */
export function prefixUpperBound(prefix: string): string | null {
  const digits = prefix.slice(1).replace(/9+$/, '');
  if (digits.length === 0) return null;
  return `+${digits.slice(0, -1)}${Number(digits.at(-1)) + 1}`;
}

/**
 * Matches gathered unordered before the newest are picked. A search is usually narrow (part of a
 * number) and the planner cannot tell: trigram estimates are rough, and "ORDER BY id LIMIT 50"
 * tempts it to walk the primary key through a million rows for three matches. Gathering up to
 * this many matches first answers a narrow search from the trigram index alone.
 */
const NARROW_SEARCH_MAX_MATCHES = 2000;

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
  if (page.excludeNormalized) conditions.push(`p.normalized_number <> ${param(page.excludeNormalized)}`);
  if (page.search) conditions.push(searchCondition(page.search, param));
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const limit = param(page.limit);
  const newest = `${SELECT_PHONE_NUMBER} ${where} ORDER BY p.id DESC LIMIT ${limit}`;
  const search = page.search;
  if (!search) return (await queryRows<PhoneNumberRow>(db, newest, bind)).map(toPhoneNumber);
  // With a search too short to narrow anything, the newest matches are near the newest rows: walking
  // back from the newest id finds them at once, which the planner knows. One that matches nothing
  // walks every row, which the time bound stops.
  if (!search.narrow) return withinSearchBound(db, { timeoutMs: page.timeoutMs, seqScan: true }, async (tx) => (await queryRows<PhoneNumberRow>(tx, newest, bind)).map(toPhoneNumber));

  return withinSearchBound(db, { timeoutMs: page.timeoutMs, seqScan: false }, async (tx) => {
    // A category's numbers are many: the newest are found by walking back from the newest id.
    if (search.categoryIds.length === 0) {
      const cap = `$${bind.length + 1}`;
      const rows = await queryRows<PhoneNumberRow & { narrow: boolean }>(
        tx,
        // Only the page's rows are read again, not every match.
        `WITH matches AS MATERIALIZED (SELECT p.id FROM phone_numbers p ${where} LIMIT ${cap}),
              page AS (SELECT id FROM matches ORDER BY id DESC LIMIT ${limit})
         SELECT ${PHONE_NUMBER_COLUMNS}, (SELECT count(*) < ${cap} FROM matches) AS narrow
         ${FROM_PHONE_NUMBERS} WHERE p.id IN (SELECT id FROM page) ORDER BY p.id DESC`,
        [...bind, NARROW_SEARCH_MAX_MATCHES + 1],
      );
      if (rows.length === 0 || rows[0]!.narrow) return rows.map(toPhoneNumber);
    }
    return (await queryRows<PhoneNumberRow>(tx, newest, bind)).map(toPhoneNumber);
  });
}

/** What one search may cost the database, unless the caller says otherwise. */
export const SEARCH_TIMEOUT_MS = 3000;

/**
 * A search runs in a transaction of its own with a statement_timeout: PostgreSQL itself stops it
 * at the bound, so a search nobody waits for any more (the request timed out, the person typed on)
 * does not run on. Narrow searches also run with sequential scans off (set by the caller): the
 * planner prices a row's ILIKE as nearly free and picks a parallel scan of the whole table (~700 ms
 * at 1M rows) over the trigram index (~2 ms). Both settings end with the transaction.
 */
async function withinSearchBound<R>(db: Queryable, bound: { timeoutMs: number | undefined; seqScan: boolean }, work: (tx: Queryable) => Promise<R>): Promise<R> {
  if (db.transaction) throw new Error('A search runs in a transaction of its own, so its settings end with it');
  try {
    return await inTransaction(db, async (tx) => {
      // Both settings in one statement: a search is a handful of round trips, and each one counts.
      await execute(tx, "SELECT set_config('statement_timeout', $1, true), set_config('enable_seqscan', $2, true)", [
        String(bound.timeoutMs ?? SEARCH_TIMEOUT_MS),
        bound.seqScan ? 'on' : 'off',
      ]);
      return work(tx);
    });
  } catch (error) {
    if (isQueryCancelled(error)) {
      throw new ValidationError('This search matches too little of too many numbers to answer in time: type more of the number or name', { reason: 'SEARCH_TOO_BROAD' }, { unprocessable: true });
    }
    throw error;
  }
}

/** ASCII digits, punctuation and spaces: characters without case. */
const CASELESS = /^[\x20-\x40\x5b-\x60\x7b-\x7e]*$/;

/**
 * LIKE for a pattern without letters, ILIKE for one with: the same matches (a character without
 * case matches only itself either way), but ILIKE lowercases each row's text before matching, ~3x
 * the cost per row. Measured on the 1M-number database: walking back from the newest row for
 * "8227" (25.7k rows read for 50 matches) took 24.2 ms with ILIKE and 7.6 ms with LIKE; a number
 * search is all digits and punctuation. Both use the trigram indexes.
 */
function likeOperator(pattern: string): 'LIKE' | 'ILIKE' {
  return CASELESS.test(pattern) ? 'LIKE' : 'ILIKE';
}

function searchCondition(search: NonNullable<PageRequest['search']>, param: (value: unknown) => string): string {
  const matches: string[] = [];
  for (const operator of ['LIKE', 'ILIKE'] as const) {
    const patterns = search.numberPatterns.filter((pattern) => likeOperator(pattern) === operator);
    if (patterns.length > 0) matches.push(`${SEARCH_TEXT} ${operator} ANY (${param(patterns)}::text[])`);
  }
  const prefix = search.normalizedPrefix;
  if (prefix) {
    // A range on the unique index: an anchored trigram pattern ("+62…%") would read every row's "62".
    const upper = prefixUpperBound(prefix);
    matches.push(
      upper === null
        ? `p.normalized_number >= ${param(prefix)}`
        : `(p.normalized_number >= ${param(prefix)} AND p.normalized_number < ${param(upper)})`,
    );
  }
  if (search.namePattern) matches.push(`p.name ${likeOperator(search.namePattern)} ${param(search.namePattern)}`);
  if (search.categoryIds.length > 0) matches.push(`p.category_id = ANY (${param(search.categoryIds)}::int[])`);
  return `(${matches.join(' OR ')})`;
}

export interface NewPhoneNumber {
  original: string;
  normalized: string;
  categoryId: number;
  type: string | null;
  name: string | null;
}

/** Files a number unless it is filed already (then null): the unique index decides, not a read before. */
export async function insertPhoneNumberIfNew(db: Queryable, number: NewPhoneNumber): Promise<number | null> {
  const [row] = await mutateRows<{ id: number }>(
    db,
    `INSERT INTO phone_numbers (original_number, normalized_number, category_id, number_type, name)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (normalized_number) DO NOTHING RETURNING id`,
    [number.original, number.normalized, number.categoryId, number.type, number.name],
  );
  return row?.id ?? null;
}

export interface LockedPhoneNumber {
  category_id: number;
  name: string | null;
  normalized_number: string;
  category_name: string;
}

/** The number as it is before a change, its row locked until the transaction ends. */
export function lockPhoneNumber(db: Queryable, id: number): Promise<LockedPhoneNumber | null> {
  return queryOne<LockedPhoneNumber>(
    db,
    `SELECT p.category_id, p.name, p.normalized_number, c.name AS category_name
     FROM phone_numbers p JOIN categories c ON c.id = p.category_id WHERE p.id = $1 FOR UPDATE OF p`,
    [id],
  );
}

export async function updatePhoneNumberRow(db: Queryable, id: number, changes: { name?: string | null; category_id?: number }): Promise<void> {
  const { PhoneNumber } = modelsOf(db.sequelize);
  await PhoneNumber.update(changes, { where: { id }, transaction: db.transaction });
}

export async function deletePhoneNumberRow(db: Queryable, id: number): Promise<{ normalized_number: string; category_id: number } | null> {
  const [deleted] = await mutateRows<{ normalized_number: string; category_id: number }>(
    db,
    'DELETE FROM phone_numbers WHERE id = $1 RETURNING normalized_number, category_id',
    [id],
  );
  return deleted ?? null;
}
