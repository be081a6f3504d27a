import { mutateRows, type Queryable } from '../db/query.js';
import type { Actor } from '../auth/roles.js';

export interface AuditEntry {
  action: string;
  entityType: 'category' | 'phone_number' | 'import' | 'api_key' | 'sender_identity' | 'erasure' | 'webhook';
  entityId: number | null;
  importId?: number | null;
  oldValue?: unknown;
  newValue?: unknown;
}

/** The actor of work done without a key (the command line, seeders). */
export const SYSTEM_ACTOR: Actor = { keyId: null, name: 'system', role: 'admin' };

/** Records one write, in the caller's transaction, so the record and the change stand or fall together. */
export async function recordAudit(db: Queryable, actor: Actor | undefined, entry: AuditEntry): Promise<void> {
  const who = actor ?? SYSTEM_ACTOR;
  await mutateRows(
    db,
    `INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, old_value, new_value)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      who.keyId,
      who.name,
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.importId ?? null,
      entry.oldValue === undefined ? null : JSON.stringify(entry.oldValue),
      entry.newValue === undefined ? null : JSON.stringify(entry.newValue),
    ],
  );
}

/**
 * A read of many people's numbers at once (a search or list, an export, a history): who asked, what,
 * and how many rows they got. Written on its own: a read has nothing to roll back.
 */
export async function recordBulkRead(db: Queryable, actor: Actor | undefined, action: string, query: Record<string, unknown>, rows: number): Promise<void> {
  await recordAudit({ sequelize: db.sequelize }, actor, { action, entityType: 'phone_number', entityId: null, newValue: { query, rows } });
}
