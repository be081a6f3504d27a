import type { ServiceContext } from '../context.js';
import { execute, inTransaction, queryOne, queryRows, type Queryable } from '../db/query.js';
import { readFromReplica } from '../db/read-db.js';
import type { Stats } from './stats.schemas.js';

/** Past this many delta rows, reading the counts folds them first (one row per category and day). */
const COMPACT_AFTER_ROWS = 5000;
const COMPACTION_LOCK_KEY = 720_451_004;

/**
 * Folds the append-only count deltas into one row per category and day. Rows that concurrent,
 * uncommitted writers append are invisible here and stay for the next fold, so nothing is lost.
 */
export async function compactCountDeltas(db: Queryable): Promise<void> {
  await inTransaction(db, async (tx) => {
    const locked = await queryOne<{ locked: boolean }>(tx, 'SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACTION_LOCK_KEY]);
    if (!locked?.locked) return;
    await execute(
      tx,
      `WITH folded AS (DELETE FROM phone_number_count_deltas RETURNING category_id, day, delta)
       INSERT INTO phone_number_count_deltas (category_id, day, delta)
       SELECT category_id, day, sum(delta) FROM folded GROUP BY category_id, day HAVING sum(delta) <> 0`,
    );
  });
}

async function compactIfNeeded(db: Queryable): Promise<void> {
  const rows = await queryOne<{ n: number }>(db, 'SELECT count(*) AS n FROM phone_number_count_deltas');
  if ((rows?.n ?? 0) > COMPACT_AFTER_ROWS) await compactCountDeltas(db);
}

/** Totals for dashboards, from the kept counts: no statement here reads phone_numbers. */
export async function getStats(ctx: ServiceContext, days: number): Promise<Stats> {
  // Folding is a write: on the primary. The counts may come from a replica.
  await compactIfNeeded(ctx);
  return readFromReplica(ctx, (db) => readStats(db, days));
}

async function readStats(db: Queryable, days: number): Promise<Stats> {
  const byCategory = await queryRows<{ id: number; name: string; count: number }>(
    db,
    `SELECT c.id, c.name, coalesce(sum(d.delta), 0)::bigint AS count
     FROM categories c LEFT JOIN phone_number_count_deltas d ON d.category_id = c.id
     GROUP BY c.id, c.name ORDER BY c.id`,
  );
  const perDay = await queryRows<{ day: string; count: number }>(
    db,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(delta)::bigint AS count
     FROM phone_number_count_deltas
     WHERE day > (now() AT TIME ZONE 'UTC')::date - $1::int
     GROUP BY day HAVING sum(delta) <> 0 ORDER BY day`,
    [days],
  );
  const imports = await queryOne<{ total: number; running: number; completed: number; failed: number; last_finished_at: Date | null }>(
    db,
    `SELECT count(*) AS total,
            count(*) FILTER (WHERE status = 'running') AS running,
            count(*) FILTER (WHERE status = 'completed') AS completed,
            count(*) FILTER (WHERE status = 'failed') AS failed,
            max(finished_at) AS last_finished_at
     FROM imports`,
  );
  return {
    total_numbers: byCategory.reduce((sum, category) => sum + category.count, 0),
    total_categories: byCategory.length,
    by_category: byCategory,
    created_per_day: perDay.map((row) => ({ date: row.day, count: row.count })),
    imports: {
      total: imports?.total ?? 0,
      running: imports?.running ?? 0,
      completed: imports?.completed ?? 0,
      failed: imports?.failed ?? 0,
      last_finished_at: imports?.last_finished_at?.toISOString() ?? null,
    },
  };
}
