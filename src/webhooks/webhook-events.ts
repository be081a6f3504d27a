/** What an endpoint can subscribe to. Bulk changes (imports, a category deleted with its numbers) send one summary event. */
export const WEBHOOK_EVENT_TYPES = [
  'phone_number.filed',
  'phone_number.moved',
  'phone_number.deleted',
  'identity.learned',
  'category.created',
  'category.updated',
  'category.deleted',
  'import.finished',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A subscription names types or whole families: `category.*`, or `*` for everything. */
export const WEBHOOK_SUBSCRIPTIONS = [...WEBHOOK_EVENT_TYPES, 'phone_number.*', 'identity.*', 'category.*', 'import.*', '*'] as const;
export type WebhookSubscription = (typeof WEBHOOK_SUBSCRIPTIONS)[number];

/** Sent by POST /v1/webhooks/{id}/test to that endpoint alone, whatever it subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * One event as it is sent (the Standard Webhooks payload shape): what happened, when, and its data.
 * `orderingKey` is not sent: events with the same key reach an endpoint in the order they happened
 * (a number's E.164 form for number and identity events).
 */
export interface WebhookEvent {
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  orderingKey: string;
  data: Record<string, unknown>;
}
