import { inTransaction, queryOne, type Queryable } from '../db/query.js';

/** One purge at a time across every process on the database (pg_try_advisory_xact_lock). */
const RETENTION_LOCK = 7_350_001;

/**
 * Deletes up to `batch` expired rows of one kind in a short transaction of its own, so a purge never
 * holds locks for long or bloats one transaction; returns how many went, or null when another
 * process is purging right now. Erasure records are kept: they hold no personal data and are the
 * proof that a request was honoured.
 */
export async function purgeBatch(db: Queryable, kind: 'audit' | 'rejections', olderThanDays: number, batch: number): Promise<number | null> {
  return inTransaction({ sequelize: db.sequelize }, async (tx) => {
    const locked = await queryOne<{ locked: boolean }>(tx, 'SELECT pg_try_advisory_xact_lock($1) AS locked', [RETENTION_LOCK]);
    if (!locked?.locked) return null;
    const sql =
      kind === 'audit'
        ? `WITH gone AS (
             DELETE FROM audit_log WHERE id IN (
               SELECT id FROM audit_log WHERE at < now() - make_interval(days => $1) AND action <> 'erasure' ORDER BY id LIMIT $2)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`
        : `WITH gone AS (
             DELETE FROM import_rejections WHERE (import_id, line) IN (
               SELECT r.import_id, r.line FROM import_rejections r JOIN imports i ON i.id = r.import_id
               WHERE coalesce(i.finished_at, i.started_at) < now() - make_interval(days => $1) LIMIT $2)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`;
    return (await queryOne<{ n: number }>(tx, sql, [olderThanDays, batch]))?.n ?? 0;
  });
}
