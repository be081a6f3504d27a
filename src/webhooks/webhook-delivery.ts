import type { Logger } from 'pino';
import { execute, queryRows, type Queryable } from '../db/query.js';
import { openSecret, signWebhook } from './webhook-secret.js';
import { postWebhook, type SendOutcome } from './webhook-sender.js';
import type { WebhookSettings } from './webhook-settings.js';

interface DueDelivery {
  id: number;
  webhook_id: number;
  event_id: string;
  payload: object;
  url: string;
  secret_ciphertext: Buffer;
}

/**
 * Due deliveries, oldest first, locked for this transaction; others' locked rows are skipped, so
 * several processes share the work. A delivery waits while an older one of the same endpoint and
 * ordering key is still pending (sending, or backing off after a failure): a number's events arrive
 * in the order they happened. A locked older row still counts as pending to the other processes.
 */
const CLAIM_DUE_SQL = `SELECT d.id, d.webhook_id, d.event_id, d.payload, w.url, w.secret_ciphertext
  FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
  WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND ($2::bigint IS NULL OR d.id = $2)
    AND NOT EXISTS (
      SELECT 1 FROM webhook_deliveries older
      WHERE older.webhook_id = d.webhook_id AND older.ordering_key = d.ordering_key AND older.status = 'pending' AND older.id < d.id
    )
  ORDER BY d.id
  LIMIT $1
  FOR UPDATE OF d SKIP LOCKED`;

/**
 * Backoff: retryBaseMs × 2^(attempts so far), at most 6 hours; given up after maxAttempts. Counted from
 * the answer (clock_timestamp), not from the claim (now() is the transaction's start, before the send).
 */
const RECORD_ATTEMPT_SQL = `UPDATE webhook_deliveries SET
    attempts = attempts + 1,
    last_attempt_at = clock_timestamp(),
    last_status_code = $2,
    last_error = $3,
    status = CASE WHEN $4 THEN 'delivered' WHEN attempts + 1 >= $5 THEN 'failed' ELSE 'pending' END,
    delivered_at = CASE WHEN $4 THEN clock_timestamp() END,
    next_attempt_at = CASE WHEN $4 THEN next_attempt_at
                      ELSE clock_timestamp() + make_interval(secs => least($6::float8 / 1000 * power(2, attempts), 21600)) END
  WHERE id = $1`;

/**
 * Claims up to `limit` due deliveries (or the one `onlyId`) and attempts them at once, in one
 * transaction that holds their locks until each outcome is written. A process that dies meanwhile
 * leaves them pending (its locks go with its connection): sent again, never lost. Returns how many.
 */
export async function attemptDueDeliveries(
  db: Queryable,
  settings: WebhookSettings,
  logger: Logger | undefined,
  limit: number,
  onlyId: number | null = null,
): Promise<number> {
  return db.sequelize.transaction(async (transaction) => {
    const tx = { sequelize: db.sequelize, transaction };
    // The transaction sits idle while receivers answer; the pool's 60 s idle limit must not cut it.
    await execute(tx, `SET LOCAL idle_in_transaction_session_timeout = ${Math.ceil(settings.timeoutMs + 30_000)}`);
    const due = await queryRows<DueDelivery>(tx, CLAIM_DUE_SQL, [limit, onlyId]);
    await Promise.all(
      due.map(async (delivery) => {
        const outcome = await send(delivery, settings);
        const delivered = 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
        const error = 'error' in outcome ? outcome.error : delivered ? null : `answered ${outcome.status}`;
        await execute(tx, RECORD_ATTEMPT_SQL, [delivery.id, 'status' in outcome ? outcome.status : null, error, delivered, settings.maxAttempts, settings.retryBaseMs]);
        if (!delivered) logger?.warn({ webhook_id: delivery.webhook_id, delivery_id: delivery.id, error }, 'webhook delivery failed');
      }),
    );
    return due.length;
  });
}

function send(delivery: DueDelivery, settings: WebhookSettings): Promise<SendOutcome> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const secret = openSecret(settings.secretKey, delivery.secret_ciphertext);
  const headers = {
    'webhook-id': delivery.event_id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, delivery.event_id, timestamp, body),
  };
  return postWebhook(delivery.url, body, headers, settings);
}
