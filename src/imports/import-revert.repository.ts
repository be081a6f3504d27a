import type pg from 'pg';
import type { Actor } from '../auth/roles.js';

export interface RevertCounts {
  removed: number;
  restored: number;
  kept_changed: number;
}

/** The import's state, its row locked until the revert's transaction ends (a second revert waits, then sees it reverted). */
export async function lockImportForRevert(client: pg.ClientBase, importId: number): Promise<{ status: string; dry_run: boolean; reverted_at: Date | null } | null> {
  const state = await client.query<{ status: string; dry_run: boolean; reverted_at: Date | null }>(
    'SELECT status, dry_run, reverted_at FROM imports WHERE id = $1 FOR UPDATE',
    [importId],
  );
  return state.rows[0] ?? null;
}

/**
 * Undoes one import, set-based, inside the caller's transaction (which holds the import lock):
 * - numbers it filed are removed, unless changed since (updated after they were filed);
 * - numbers it moved or renamed get their category and name back from its audit rows, unless
 *   changed since (updated after that audit row) or their old category is gone;
 * - what is kept is counted. The restorations are audited one row each, the revert once.
 * `phone_numbers.updated_at` is set by a trigger on every update, which is what "changed" reads.
 */
export async function revertImportRows(client: pg.ClientBase, importId: number, actor: Actor | undefined): Promise<RevertCounts> {
  const removed = await client.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM phone_numbers WHERE filed_by_import_id = $1 AND updated_at <= created_at RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [importId],
  );
  const keptFiled = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM phone_numbers WHERE filed_by_import_id = $1', [importId]);
  const restored = await client.query<{ restored: number; kept: number }>(
    `WITH changes AS (
       -- The first change the import made to each number holds the state before it.
       SELECT DISTINCT ON (a.entity_id) a.entity_id AS id, a.at, a.old_value
       FROM audit_log a
       WHERE a.import_id = $1 AND a.entity_type = 'phone_number' AND a.action IN ('phone_number.move', 'phone_number.rename')
       ORDER BY a.entity_id, a.id
     ), restorable AS (
       SELECT c.id, (c.old_value->>'category_id')::int AS category_id, c.old_value ? 'name' AS had_name, c.old_value->>'name' AS name
       FROM changes c
       JOIN phone_numbers p ON p.id = c.id AND p.updated_at <= c.at
       JOIN categories k ON k.id = (c.old_value->>'category_id')::int
       FOR UPDATE OF p
     ), before AS (
       SELECT p.id, p.category_id, p.name FROM phone_numbers p JOIN restorable r ON r.id = p.id
     ), done AS (
       UPDATE phone_numbers p
       SET category_id = r.category_id, name = CASE WHEN r.had_name THEN r.name ELSE p.name END
       FROM restorable r WHERE p.id = r.id
       RETURNING p.id, p.category_id, p.name
     ), audited AS (
       INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, old_value, new_value)
       SELECT $2, $3, 'phone_number.move', 'phone_number', done.id,
              jsonb_build_object('category_id', before.category_id, 'name', before.name),
              jsonb_build_object('category_id', done.category_id, 'name', done.name, 'reverted_import_id', $1::bigint)
       FROM done JOIN before ON before.id = done.id
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM audited)::int AS restored, (SELECT count(*) FROM changes)::int - (SELECT count(*) FROM audited)::int AS kept`,
    [importId, actor?.keyId ?? null, actor?.name ?? 'system'],
  );
  const counts = {
    removed: removed.rows[0]!.n,
    restored: restored.rows[0]!.restored,
    kept_changed: keptFiled.rows[0]!.n + restored.rows[0]!.kept,
  };
  await client.query('UPDATE imports SET reverted_at = now() WHERE id = $1', [importId]);
  await client.query(
    `INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, new_value)
     VALUES ($1, $2, 'import.revert', 'import', $3, $3, $4)`,
    [actor?.keyId ?? null, actor?.name ?? 'system', importId, JSON.stringify(counts)],
  );
  return counts;
}
