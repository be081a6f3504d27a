import { queryOne, queryRows, type Queryable } from '../db/query.js';

export interface HistoryEntryRow {
  at: Date;
  action: string;
  actor: string;
  import_id: number | null;
  from_id: number | null;
  from_name: string | null;
  to_id: number | null;
  to_name: string | null;
}

export interface FilingRow {
  created_at: Date;
  category_id: number;
  category_name: string;
  filed_by_import_id: number | null;
  import_actor: string | null;
}

/** Every audited change of one number, oldest first, with the names its categories have now. */
export function findHistoryEntries(db: Queryable, phoneNumberId: number): Promise<HistoryEntryRow[]> {
  return queryRows<HistoryEntryRow>(
    db,
    `SELECT a.at, a.action, a.actor, a.import_id,
            (a.old_value->>'category_id')::int AS from_id, fc.name AS from_name,
            (a.new_value->>'category_id')::int AS to_id, tc.name AS to_name
     FROM audit_log a
     LEFT JOIN categories fc ON fc.id = (a.old_value->>'category_id')::int
     LEFT JOIN categories tc ON tc.id = (a.new_value->>'category_id')::int
     WHERE a.entity_type = 'phone_number' AND a.entity_id = $1
     ORDER BY a.at, a.id`,
    [phoneNumberId],
  );
}

/** When and by which import (and whose) a number was filed, for numbers an import filed. */
export function findFiling(db: Queryable, phoneNumberId: number): Promise<FilingRow | null> {
  return queryOne<FilingRow>(
    db,
    `SELECT p.created_at, p.category_id, c.name AS category_name, p.filed_by_import_id, i.created_by AS import_actor
     FROM phone_numbers p JOIN categories c ON c.id = p.category_id LEFT JOIN imports i ON i.id = p.filed_by_import_id
     WHERE p.id = $1`,
    [phoneNumberId],
  );
}
