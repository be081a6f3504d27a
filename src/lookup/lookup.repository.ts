import type { Sequelize } from 'sequelize';
import { withPgClient } from '../db/pg-client.js';
import { queryRows, type Queryable } from '../db/query.js';

export interface FiledRow {
  id: number;
  normalized_number: string;
  category_id: number;
  category_name: string;
  name: string | null;
}

const FIND_FILED_SQL = `SELECT p.id, p.normalized_number, p.category_id, c.name AS category_name, p.name
     FROM phone_numbers p JOIN categories c ON c.id = p.category_id
     WHERE p.normalized_number = ANY($1::varchar[])`;

export async function queryFiled(db: Queryable, normalized: string[]): Promise<Map<string, FiledRow>> {
  const rows = await queryRows<FiledRow>(db, FIND_FILED_SQL, [normalized]);
  return new Map(rows.map((row) => [row.normalized_number, row]));
}

/**
 * The batcher's query, as a named prepared statement on a pooled client: PostgreSQL parses and
 * plans it once per connection instead of once per batch, and Sequelize's per-query work is
 * skipped. A bot fleet asking for numbers no cache holds is bound by exactly this statement.
 */
const FIND_FILED_PREPARED = { name: 'lookup_find_filed', text: FIND_FILED_SQL };

export async function queryFiledPrepared(sequelize: Sequelize, normalized: string[]): Promise<Map<string, FiledRow>> {
  const result = await withPgClient(sequelize, (client) => client.query<FiledRow>({ ...FIND_FILED_PREPARED, values: [normalized] }));
  const filed = new Map<string, FiledRow>();
  for (const row of result.rows) {
    // bigint comes back as text; the rows are this function's own, so they are fixed in place.
    row.id = Number(row.id);
    filed.set(row.normalized_number, row);
  }
  return filed;
}

interface IdRow {
  identity_id: string;
  normalized_number: string;
}

/**
 * The numbers these ids are paired with and the filings of those numbers and of `normalized`, in one
 * statement: a batch that names unknown ids costs one round trip, not two (ids, then their numbers).
 */
export async function queryFiledWithIds(db: Queryable, normalized: string[], ids: string[]): Promise<{ filed: Map<string, FiledRow>; ids: Map<string, string> }> {
  const rows = await queryRows<(FiledRow & { identity_id: null }) | (IdRow & { identity_id: string })>(
    db,
    `WITH paired AS (SELECT id, normalized_number FROM sender_identities WHERE id = ANY($2::varchar[]))
     SELECT NULL::varchar AS identity_id, p.id, p.normalized_number, p.category_id, c.name AS category_name, p.name
     FROM phone_numbers p JOIN categories c ON c.id = p.category_id
     WHERE p.normalized_number = ANY($1::varchar[]) OR p.normalized_number IN (SELECT normalized_number FROM paired)
     UNION ALL
     SELECT id, NULL, normalized_number, NULL, NULL, NULL FROM paired`,
    [normalized, ids],
  );
  const filed = new Map<string, FiledRow>();
  const paired = new Map<string, string>();
  for (const row of rows) {
    if (row.identity_id === null) filed.set(row.normalized_number, row as FiledRow);
    else paired.set(row.identity_id, row.normalized_number);
  }
  return { filed, ids: paired };
}
