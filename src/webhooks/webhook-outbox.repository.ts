import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { execute, type Queryable } from '../db/query.js';
import type { WebhookEvent } from './webhook-events.js';

/** The SQL condition "this `webhooks` row hears events of this type": the type, its family (`category.*`) or `*`. */
export function subscribedTo(typeExpression: string): string {
  return `webhooks.events && ARRAY[${typeExpression}, split_part(${typeExpression}, '.', 1) || '.*', '*']`;
}

/**
 * The outbox write: one pending delivery per endpoint subscribed to the event's type (or its family,
 * or `*`), in the caller's transaction, so the event is committed with its change or not at all.
 * Without endpoints it inserts nothing and costs one index-free scan of a tiny table.
 * Bind: $1 event id, $2 type, $3 ordering key, $4 payload (JSON text).
 */
export const OUTBOX_INSERT_SQL = `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, ordering_key, payload)
  SELECT id, $1, $2, $3, $4::jsonb FROM webhooks
  WHERE ${subscribedTo('$2::text')}`;

/** A new event id: the `webhook-id` header, the same on every attempt and for every endpoint. */
export const newEventId = () => `msg_${randomUUID().replaceAll('-', '')}`;

/** The body an endpoint receives. */
export function eventPayload(event: WebhookEvent, at = new Date()): { type: string; timestamp: string; data: Record<string, unknown> } {
  return { type: event.type, timestamp: at.toISOString(), data: event.data };
}

export function outboxInsertBind(event: WebhookEvent): unknown[] {
  return [newEventId(), event.type, event.orderingKey, JSON.stringify(eventPayload(event))];
}

/** Writes the event's deliveries in `tx` (the transaction of the change it tells of). */
export async function recordWebhookEvent(tx: Queryable, event: WebhookEvent): Promise<void> {
  await execute(tx, OUTBOX_INSERT_SQL, outboxInsertBind(event));
}

/** The same on a borrowed client, inside the transaction it holds (an import's). */
export async function recordWebhookEventOn(client: pg.ClientBase, event: WebhookEvent): Promise<void> {
  await client.query(OUTBOX_INSERT_SQL, outboxInsertBind(event));
}
