import type pg from 'pg';

export interface MergeCounts {
  /** Distinct valid numbers in the file (the first row of each wins). */
  distinct: number;
  inserted: number;
  moved: number;
}

/** Imports merge one at a time (their reading and COPY run in parallel): no deadlocks, exact counts. */
const MERGE_LOCK_KEY = 720_451_002;

// The first row of each number wins; rows whose category is missing (a dry run that would create
// it) keep a NULL category id.
const FIRST_ROWS = `
  SELECT DISTINCT ON (s.normalized) s.normalized, s.original, s.number_type, c.id AS category_id
  FROM import_staging s LEFT JOIN categories c ON lower(c.name) = s.category_key
  WHERE s.reason IS NULL
  ORDER BY s.normalized, s.line`;

/**
 * One set-based statement files every new number. Rows go in key order so that the unique index is
 * locked in the same order by every writer. `skip` leaves a filed number where it is; `move` moves
 * it only when the category differs, so that `moved` counts real moves.
 */
function mergeStatement(onDuplicate: 'skip' | 'move'): string {
  const onConflict =
    onDuplicate === 'skip'
      ? 'DO NOTHING'
      : 'DO UPDATE SET category_id = EXCLUDED.category_id WHERE phone_numbers.category_id IS DISTINCT FROM EXCLUDED.category_id';
  return `
    WITH firsts AS MATERIALIZED (${FIRST_ROWS}),
    merged AS (
      INSERT INTO phone_numbers (original_number, normalized_number, category_id, number_type)
      SELECT left(original, 100), normalized, category_id, number_type FROM firsts ORDER BY normalized
      ON CONFLICT (normalized_number) ${onConflict}
      RETURNING (xmax = 0) AS inserted
    )
    SELECT (SELECT count(*) FROM firsts)::int AS distinct,
           count(*) FILTER (WHERE inserted)::int AS inserted,
           count(*) FILTER (WHERE NOT inserted)::int AS moved
    FROM merged`;
}

function dryRunStatement(onDuplicate: 'skip' | 'move'): string {
  const moved = onDuplicate === 'move' ? 'count(*) FILTER (WHERE p.id IS NOT NULL AND p.category_id IS DISTINCT FROM f.category_id)' : '0';
  return `
    WITH firsts AS (${FIRST_ROWS})
    SELECT count(*)::int AS distinct,
           count(*) FILTER (WHERE p.id IS NULL)::int AS inserted,
           ${moved}::int AS moved
    FROM firsts f LEFT JOIN phone_numbers p ON p.normalized_number = f.normalized`;
}

export async function createMissingCategories(client: pg.ClientBase, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const result = await client.query<{ name: string }>(
    `INSERT INTO categories (name) SELECT unnest($1::text[]) ON CONFLICT ((lower(name))) DO NOTHING RETURNING name`,
    [names],
  );
  return result.rows.map((row) => row.name);
}

export async function mergeStagedRows(client: pg.ClientBase, onDuplicate: 'skip' | 'move', dryRun: boolean): Promise<MergeCounts> {
  if (!dryRun) await client.query('SELECT pg_advisory_xact_lock($1)', [MERGE_LOCK_KEY]);
  const result = await client.query<MergeCounts>(dryRun ? dryRunStatement(onDuplicate) : mergeStatement(onDuplicate));
  return result.rows[0] ?? { distinct: 0, inserted: 0, moved: 0 };
}

export async function saveRejections(client: pg.ClientBase, importId: number): Promise<void> {
  await client.query(
    `INSERT INTO import_rejections (import_id, line, value, reason)
     SELECT $1, line, left(original, 200), reason FROM import_staging WHERE reason IS NOT NULL`,
    [importId],
  );
}
