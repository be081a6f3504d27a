import { execute, mutateRows, type Queryable } from '../db/query.js';

/** What one erasure removed, table by table. */
export interface ErasedCounts {
  phone_numbers: number;
  identities: number;
  audit_entries: number;
  rejections: number;
  webhook_deliveries: number;
}

/**
 * Text columns are matched on the number's digits after the country code and trunk prefix
 * (`81234567890` for +6281234567890): every way the number can have been written (`0812-3456-7890`,
 * `+62 812…`, a JID, a spreadsheet cell, a search typed by staff) holds them once its non-digits go.
 */
const digitsOf = (expression: string) => `regexp_replace(${expression}, '[^0-9]', '', 'g')`;
const AUDIT_VALUES = "coalesce(old_value::text, '') || ' ' || coalesce(new_value::text, '')";

/** Deletes every row that holds the number (and, in the audit log, its contact's name), in `tx`. */
export async function eraseNumberRows(tx: Queryable, e164: string, nationalDigits: string): Promise<ErasedCounts> {
  const digitsPattern = `%${nationalDigits}%`;
  // Ids first: the number's own delete would take them with it (a trigger) uncounted, and ids taught
  // for a number that was never filed have no number row to go with.
  const identities = await execute(tx, 'DELETE FROM sender_identities WHERE normalized_number = $1', [e164]);
  const filed = await mutateRows<{ id: number; name: string | null }>(tx, 'DELETE FROM phone_numbers WHERE normalized_number = $1 RETURNING id, name', [e164]);
  const name = filed[0]?.name ?? null;
  const audit = await execute(
    tx,
    `DELETE FROM audit_log
     WHERE (entity_type = 'phone_number' AND entity_id = ANY($1::int[]))
        OR ${digitsOf(AUDIT_VALUES)} LIKE $2
        OR ($3::text IS NOT NULL AND ${AUDIT_VALUES} ILIKE '%' || $3 || '%')`,
    [filed.map((row) => row.id), digitsPattern, name],
  );
  const rejections = await execute(tx, `DELETE FROM import_rejections WHERE ${digitsOf('value')} LIKE $1`, [digitsPattern]);
  // Webhook payloads (sent or not) carry numbers only in E.164, and a filed number's contact name.
  const webhookDeliveries = await execute(
    tx,
    `DELETE FROM webhook_deliveries WHERE strpos(payload::text, $1) > 0 OR ($2::text IS NOT NULL AND payload->'data'->>'name' = $2)`,
    [JSON.stringify(e164).slice(1, -1), name],
  );
  return { phone_numbers: filed.length, identities, audit_entries: audit, rejections, webhook_deliveries: webhookDeliveries };
}
