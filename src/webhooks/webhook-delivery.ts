import type { Logger } from 'pino';
import type { Queryable } from '../db/query.js';
import { allowIdleWhileSending, claimDueDeliveries, recordAttempt, type DueDelivery } from './webhook-delivery.repository.js';
import { openSecret, signWebhook } from './webhook-secret.js';
import { postWebhook, type SendOutcome } from './webhook-sender.js';
import type { WebhookSettings } from './webhook-settings.js';

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
    await allowIdleWhileSending(tx, Math.ceil(settings.timeoutMs + 30_000));
    const due = await claimDueDeliveries(tx, limit, onlyId);
    await Promise.all(
      due.map(async (delivery) => {
        const outcome = await send(delivery, settings);
        const delivered = 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
        const error = 'error' in outcome ? outcome.error : delivered ? null : `answered ${outcome.status}`;
        await recordAttempt(tx, delivery.id, { statusCode: 'status' in outcome ? outcome.status : null, error, delivered }, settings);
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
