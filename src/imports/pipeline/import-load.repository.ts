import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Actor } from '../../auth/roles.js';
import { UPSERT_IDENTITIES_SQL, upsertIdentitiesBind, type IdentityPair } from '../../identities/identities.repository.js';

/**
 * Everything an import says to PostgreSQL on its one borrowed connection, inside its transaction
 * (src/imports/pipeline/import-lock.ts): COPY, the lookups that sort a chunk, moves and renames with
 * their history, categories created on the way. A raw pg client, not Sequelize: COPY needs one, and
 * the whole import is one session (its temp table, savepoints and SET LOCALs).
 */
export type ImportClient = pg.ClientBase;

/** A number as the import finds it filed. */
export interface ExistingRow {
  normalized: string;
  category_id: number;
  name: string | null;
  /** Written by this import (its transaction or one of its savepoints). */
  ours: boolean;
  /** Filed before the import and already met in it. */
  seen: boolean;
}

/**
 * Numbers filed before this import and already met in it. Numbers this import inserted or moved
 * need no entry: their row versions carry one of this transaction's ids.
 */
const CREATE_SEEN_TABLE = 'CREATE TEMP TABLE import_seen (normalized text PRIMARY KEY) ON COMMIT DROP';
// The import and category ids last, so a line is the prepared head plus them.
const COPY_PHONE_NUMBERS =
  'COPY phone_numbers (original_number, normalized_number, number_type, name, filed_by_import_id, category_id) FROM STDIN';
const COPY_REJECTIONS = 'COPY import_rejections (import_id, line, value, reason, last_line) FROM STDIN';

/** Sends COPY text (already escaped) for one statement and waits until PostgreSQL has taken it all. */
async function copyIn(client: ImportClient, statement: string, text: string): Promise<void> {
  if (text.length === 0) return;
  const stream: Writable = client.query(copyFrom(statement));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

/** New numbers, as COPY lines: original, normalized, type, name, import id, category id. */
export function copyPhoneNumbers(client: ImportClient, text: string): Promise<void> {
  return copyIn(client, COPY_PHONE_NUMBERS, text);
}

/** The chunk's rejected rows, as COPY lines. */
export function copyRejections(client: ImportClient, text: string): Promise<void> {
  return copyIn(client, COPY_REJECTIONS, text);
}

export async function readCategories(client: ImportClient): Promise<Array<{ id: number; name: string }>> {
  return (await client.query<{ id: number; name: string }>('SELECT id, name FROM categories')).rows;
}

export async function createSeenTable(client: ImportClient): Promise<void> {
  await client.query(CREATE_SEEN_TABLE);
}

export async function markSeen(client: ImportClient, numbers: string[]): Promise<void> {
  await client.query('INSERT INTO import_seen (normalized) SELECT unnest($1::text[])', [numbers]);
}

/** This transaction's id as xmin holds it: the 32-bit id (txid_current() adds the epoch above it). */
export async function currentTransactionId(client: ImportClient): Promise<number> {
  const result = await client.query<{ xid: string }>('SELECT (txid_current() % 4294967296)::text AS xid');
  return Number(result.rows[0]!.xid);
}

/** The id of the (sub)transaction that wrote a number's row. */
export async function transactionIdOf(client: ImportClient, normalized: string): Promise<number> {
  const result = await client.query<{ xid: string }>('SELECT xmin::text AS xid FROM phone_numbers WHERE normalized_number = $1', [normalized]);
  return Number(result.rows[0]!.xid);
}

export async function savepoint(client: ImportClient): Promise<void> {
  await client.query('SAVEPOINT import_chunk');
}

export async function releaseSavepoint(client: ImportClient): Promise<void> {
  await client.query('RELEASE SAVEPOINT import_chunk');
}

export async function rollBackToSavepoint(client: ImportClient): Promise<void> {
  await client.query('ROLLBACK TO SAVEPOINT import_chunk');
  await client.query('RELEASE SAVEPOINT import_chunk');
}

/** Sequential scans off (lookups by key) or back on (COPY and its foreign-key checks), for the rest of the transaction. */
export async function setSequentialScans(client: ImportClient, on: boolean): Promise<void> {
  await client.query(on ? 'SET LOCAL enable_seqscan = on' : 'SET LOCAL enable_seqscan = off');
}

export async function findExistingRows(client: ImportClient, numbers: string[], ownTransactionIds: number[]): Promise<ExistingRow[]> {
  // `= ANY(array)` is an index condition; a join against unnest() would leave the plan to chance.
  const result = await client.query<ExistingRow>(
    `SELECT p.normalized_number AS normalized, p.category_id, p.name,
            (p.xmin::text::bigint = ANY($2::bigint[])) AS ours,
            EXISTS (SELECT 1 FROM import_seen s WHERE s.normalized = p.normalized_number) AS seen
     FROM phone_numbers p
     WHERE p.normalized_number = ANY($1::varchar[])`,
    [numbers, ownTransactionIds],
  );
  return result.rows;
}

/** Who ran the import and which it was, for the history of each number it changes. */
export interface ImportAuthor {
  actor: Actor | undefined;
  importId: number;
}

/**
 * Moves these numbers into one category (a name where the file gives one), each with its history
 * row: the audit rows keep the old category and name, and an import's revert puts them back from there.
 */
export async function moveToCategory(client: ImportClient, author: ImportAuthor, categoryId: number, numbers: string[], names: Array<string | null>): Promise<void> {
  await client.query(
    `WITH given AS (
       SELECT * FROM unnest($2::varchar[], $6::varchar[]) AS g(normalized_number, name)
     ), before AS (
       SELECT p.id, p.category_id, p.name, given.name AS new_name
       FROM phone_numbers p JOIN given ON given.normalized_number = p.normalized_number
       WHERE p.normalized_number = ANY($2::varchar[]) FOR UPDATE OF p
     ), moved AS (
       UPDATE phone_numbers p SET category_id = $1, name = COALESCE(before.new_name, p.name) FROM before WHERE p.id = before.id
       RETURNING p.id, p.name, before.category_id AS old_category_id, before.name AS old_name
     )
     INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, old_value, new_value)
     SELECT $3, $4, 'phone_number.move', 'phone_number', id, $5,
            jsonb_build_object('category_id', old_category_id, 'name', old_name), jsonb_build_object('category_id', $1::int, 'name', name)
     FROM moved`,
    [categoryId, numbers, author.actor?.keyId ?? null, author.actor?.name ?? 'system', author.importId, names],
  );
}

/** New contact names for numbers that stay in their category, each with its history row. */
export async function renameNumbers(client: ImportClient, author: ImportAuthor, numbers: string[], names: string[]): Promise<void> {
  await client.query(
    `WITH given AS (
       SELECT * FROM unnest($1::varchar[], $2::varchar[]) AS g(normalized_number, name)
     ), before AS (
       SELECT p.id, p.name, given.name AS new_name
       FROM phone_numbers p JOIN given ON given.normalized_number = p.normalized_number
       WHERE p.normalized_number = ANY($1::varchar[]) FOR UPDATE OF p
     ), renamed AS (
       UPDATE phone_numbers p SET name = before.new_name FROM before WHERE p.id = before.id
       RETURNING p.id, p.category_id, before.name AS old_name, p.name
     )
     INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, old_value, new_value)
     SELECT $3, $4, 'phone_number.rename', 'phone_number', id, $5,
            jsonb_build_object('category_id', category_id, 'name', old_name), jsonb_build_object('category_id', category_id, 'name', name)
     FROM renamed`,
    [numbers, names, author.actor?.keyId ?? null, author.actor?.name ?? 'system', author.importId],
  );
}

/** A category by name, created unless an admin created it meanwhile (then that one is used). */
export async function createCategoryUnlessTaken(client: ImportClient, name: string): Promise<{ id: number; inserted: boolean }> {
  const result = await client.query<{ id: number; inserted: boolean }>(
    `INSERT INTO categories (name) VALUES ($1)
     ON CONFLICT ((lower(name))) DO UPDATE SET name = categories.name RETURNING id, (xmax = 0) AS inserted`,
    [name],
  );
  return result.rows[0]!;
}

/** The identity columns' pairs of one chunk, in one statement. */
export async function rememberIdentityPairs(client: ImportClient, actor: Actor | undefined, pairs: IdentityPair[]): Promise<void> {
  await client.query(UPSERT_IDENTITIES_SQL, upsertIdentitiesBind(actor, pairs));
}
