import { modelsOf } from '../db/models.js';
import type { Queryable } from '../db/query.js';
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
  await modelsOf(db.sequelize).AuditEntry.create(
    {
      actor_key_id: who.keyId,
      actor: who.name,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      import_id: entry.importId ?? null,
      old_value: entry.oldValue ?? null,
      new_value: entry.newValue ?? null,
    },
    // Nothing is read back: the caller already knows what it wrote.
    { transaction: db.transaction, returning: false },
  );
}

/**
 * A read of many people's numbers at once (a search or list, an export, a history): who asked, what,
 * and how many rows they got. Written on its own: a read has nothing to roll back.
 */
export async function recordBulkRead(db: Queryable, actor: Actor | undefined, action: string, query: Record<string, unknown>, rows: number): Promise<void> {
  await recordAudit({ sequelize: db.sequelize }, actor, { action, entityType: 'phone_number', entityId: null, newValue: { query, rows } });
}
