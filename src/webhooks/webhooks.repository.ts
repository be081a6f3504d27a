import { mutateRows, queryOne, queryRows, type Queryable } from '../db/query.js';
import type { Webhook, WebhookDelivery } from './webhooks.schemas.js';

interface WebhookRow {
  id: number;
  url: string;
  events: string[];
  description: string | null;
  created_by: string | null;
  created_at: Date;
}

const toWebhook = (row: WebhookRow): Webhook => ({ ...row, created_at: row.created_at.toISOString() });
const WEBHOOK_COLUMNS = 'id, url, events, description, created_by, created_at';

export async function insertWebhook(db: Queryable, row: { url: string; events: string[]; description: string | null; sealedSecret: Buffer; createdBy: string | null }): Promise<Webhook> {
  const [inserted] = await mutateRows<WebhookRow>(
    db,
    `INSERT INTO webhooks (url, events, description, secret_ciphertext, created_by) VALUES ($1, $2::text[], $3, $4, $5) RETURNING ${WEBHOOK_COLUMNS}`,
    [row.url, row.events, row.description, row.sealedSecret, row.createdBy],
  );
  return toWebhook(inserted!);
}

export async function findWebhooks(db: Queryable): Promise<Webhook[]> {
  return (await queryRows<WebhookRow>(db, `SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY id`)).map(toWebhook);
}

export async function findWebhook(db: Queryable, id: number): Promise<Webhook | null> {
  const row = await queryOne<WebhookRow>(db, `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [id]);
  return row ? toWebhook(row) : null;
}

export async function removeWebhook(db: Queryable, id: number): Promise<Webhook | null> {
  const [row] = await mutateRows<WebhookRow>(db, `DELETE FROM webhooks WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS}`, [id]);
  return row ? toWebhook(row) : null;
}

/** A test event for one endpoint alone; its ordering key is its own, so nothing waits behind it. */
export async function insertTestDelivery(db: Queryable, webhookId: number, eventId: string, payload: object): Promise<number> {
  const [row] = await mutateRows<{ id: number }>(
    db,
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, ordering_key, payload) VALUES ($1, $2, 'webhook.test', $2, $3::jsonb) RETURNING id`,
    [webhookId, eventId, JSON.stringify(payload)],
  );
  return row!.id;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  event_type: string;
  status: WebhookDelivery['status'];
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  payload: WebhookDelivery['payload'];
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  ...row,
  next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
  last_attempt_at: iso(row.last_attempt_at),
  delivered_at: iso(row.delivered_at),
  created_at: row.created_at.toISOString(),
});
const DELIVERY_COLUMNS = 'id, event_id, event_type, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at, created_at, payload';

/** The delivery log of one endpoint, newest first. */
export async function findDeliveries(db: Queryable, webhookId: number, limit: number, beforeId?: number): Promise<WebhookDelivery[]> {
  const rows = await queryRows<DeliveryRow>(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [webhookId, beforeId ?? null, limit],
  );
  return rows.map(toDelivery);
}

export async function findDelivery(db: Queryable, id: number): Promise<WebhookDelivery | null> {
  const row = await queryOne<DeliveryRow>(db, `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
  return row ? toDelivery(row) : null;
}

/**
 * Drops delivered and failed deliveries older than `days` (their bodies name numbers), up to `batch`
 * at a time; pending ones stay whatever their age. Returns how many went.
 */
export async function purgeDeliveryLog(db: Queryable, days: number, batch: number): Promise<number> {
  const [row] = await mutateRows<{ n: number }>(
    db,
    `WITH gone AS (
       DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [days, batch],
  );
  return row?.n ?? 0;
}
