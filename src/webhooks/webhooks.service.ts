import { recordAudit, recordBulkRead } from '../audit/audit.repository.js';
import type { ServiceContext } from '../context.js';
import { inTransaction } from '../db/query.js';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import { refuseWebhookUrl } from './webhook-address.js';
import { attemptDueDeliveries } from './webhook-delivery.js';
import { TEST_EVENT_TYPE } from './webhook-events.js';
import { eventPayload, newEventId } from './webhook-outbox.repository.js';
import { newWebhookSecret, sealSecret } from './webhook-secret.js';
import type { WebhookSettings } from './webhook-settings.js';
import { findDeliveries, findDelivery, findWebhook, findWebhooks, insertTestDelivery, insertWebhook, removeWebhook } from './webhooks.repository.js';
import type { CreateWebhookInput, Webhook, WebhookDelivery } from './webhooks.schemas.js';

function requireSettings(ctx: ServiceContext): WebhookSettings {
  if (!ctx.webhooks) throw new AppError('UNAVAILABLE', 'Webhooks need WEBHOOK_SECRET_KEY (or a DATA_DIR to keep one in)');
  return ctx.webhooks;
}

/** Registers an endpoint; the answer carries its secret, once. */
export async function createWebhook(ctx: ServiceContext, input: CreateWebhookInput): Promise<Webhook & { secret: string }> {
  const settings = requireSettings(ctx);
  const url = new URL(input.url);
  const refused = await refuseWebhookUrl(url, settings.allowPrivate);
  if (refused) throw new ValidationError(`This URL cannot receive webhooks: ${refused}`, { url: input.url, reason: 'FORBIDDEN_URL' }, { unprocessable: true });
  const secret = input.secret ?? newWebhookSecret();
  const events = [...new Set(input.events)];
  const webhook = await inTransaction(ctx, async (tx) => {
    const created = await insertWebhook(tx, { url: url.href, events, description: input.description ?? null, sealedSecret: sealSecret(settings.secretKey, secret), createdBy: ctx.actor?.name ?? null });
    await recordAudit(tx, ctx.actor, { action: 'webhook.create', entityType: 'webhook', entityId: created.id, newValue: { url: created.url, events } });
    return created;
  });
  return { ...webhook, secret };
}

export function listWebhooks(ctx: ServiceContext): Promise<Webhook[]> {
  return findWebhooks(ctx);
}

/** Deletes an endpoint with its delivery log; what was still pending for it is not sent. */
export async function deleteWebhook(ctx: ServiceContext, id: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const removed = await removeWebhook(tx, id);
    if (!removed) throw new NotFoundError(`Webhook ${id} does not exist`, { webhook_id: id });
    await recordAudit(tx, ctx.actor, { action: 'webhook.delete', entityType: 'webhook', entityId: id, oldValue: { url: removed.url, events: removed.events } });
  });
}

/**
 * Sends a `webhook.test` event to one endpoint now, signed like any other, and answers how it went.
 * It goes through the outbox: a receiver that fails gets it again on the usual schedule.
 */
export async function sendTestEvent(ctx: ServiceContext, id: number): Promise<WebhookDelivery> {
  const settings = requireSettings(ctx);
  if (!(await findWebhook(ctx, id))) throw new NotFoundError(`Webhook ${id} does not exist`, { webhook_id: id });
  const eventId = newEventId();
  const payload = eventPayload({ type: TEST_EVENT_TYPE, orderingKey: eventId, data: { webhook_id: id, requested_by: ctx.actor?.name ?? null } });
  const deliveryId = await insertTestDelivery(ctx, id, eventId, payload);
  await attemptDueDeliveries(ctx, settings, undefined, 1, deliveryId);
  return (await findDelivery(ctx, deliveryId))!;
}

/** The delivery log of one endpoint (payloads name numbers: the read is audited like a search). */
export async function listDeliveries(ctx: ServiceContext, id: number, query: { limit: number; before_id?: number | undefined }): Promise<WebhookDelivery[]> {
  if (!(await findWebhook(ctx, id))) throw new NotFoundError(`Webhook ${id} does not exist`, { webhook_id: id });
  const deliveries = await findDeliveries(ctx, id, query.limit, query.before_id);
  await recordBulkRead(ctx, ctx.actor, 'webhook_delivery.list', { webhook_id: id, before_id: query.before_id ?? null }, deliveries.length);
  return deliveries;
}
