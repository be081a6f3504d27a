import { z } from '@hono/zod-openapi';
import { RowIdParam } from '../http/common.schemas.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_SUBSCRIPTIONS } from './webhook-events.js';
import { WEBHOOK_SECRET_PATTERN } from './webhook-secret.js';

export const CreateWebhookSchema = z
  .object({
    url: z.url().max(2000).openapi({ description: 'https, outside loopback and private ranges (unless WEBHOOK_ALLOW_PRIVATE=true)', example: 'https://crm.example.org/hooks/wa-categories' }),
    events: z
      .array(z.enum(WEBHOOK_SUBSCRIPTIONS))
      .min(1)
      .max(WEBHOOK_SUBSCRIPTIONS.length)
      .openapi({ description: `Event types (${WEBHOOK_EVENT_TYPES.join(', ')}), a family (\`category.*\`) or \`*\``, example: ['phone_number.*', 'import.finished'] }),
    secret: z
      .string()
      .regex(WEBHOOK_SECRET_PATTERN, 'must be whsec_ and the base64 of 24 to 64 bytes')
      .optional()
      .openapi({ description: 'Your own signing secret (Standard Webhooks form); one is made when absent' }),
    description: z.string().trim().max(500).optional().openapi({ example: 'Chatwoot CRM' }),
  })
  .strict()
  .openapi('CreateWebhook', { example: { url: 'https://crm.example.org/hooks/wa-categories', events: ['phone_number.*', 'import.finished'], description: 'Chatwoot CRM' } });

export const WebhookSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Webhook', {
    example: { id: 3, url: 'https://crm.example.org/hooks/wa-categories', events: ['phone_number.*', 'import.finished'], description: 'Chatwoot CRM', created_by: 'admin laptop', created_at: '2026-11-22T08:15:30.000Z' },
  });

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({ description: 'The signing secret, shown only now: verify `webhook-signature` with it' }),
}).openapi('CreatedWebhook', {
  example: {
    id: 3, url: 'https://crm.example.org/hooks/wa-categories', events: ['phone_number.*', 'import.finished'], description: 'Chatwoot CRM', created_by: 'admin laptop',
    created_at: '2026-11-22T08:15:30.000Z', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2c5L0ddB6oM=',
  },
});

export const WebhookDeliverySchema = z
  .object({
    id: z.number().int(),
    event_id: z.string().openapi({ description: 'The `webhook-id` header: the same on every attempt' }),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']).openapi({ description: 'failed: given up after WEBHOOK_MAX_ATTEMPTS' }),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable().openapi({ description: 'When it is tried next, while pending' }),
    last_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
    payload: z.object({ type: z.string(), timestamp: z.string(), data: z.record(z.string(), z.unknown()) }).openapi({ description: 'The body as sent' }),
  })
  .openapi('WebhookDelivery', {
    example: {
      id: 118, event_id: 'msg_5f0c9a7e2b4d4c1f8e6a3b2d1c0f9e8d', event_type: 'phone_number.moved', status: 'delivered', attempts: 1, next_attempt_at: null,
      last_attempt_at: '2026-11-22T08:15:31.000Z', last_status_code: 204, last_error: null, delivered_at: '2026-11-22T08:15:31.000Z', created_at: '2026-11-22T08:15:30.900Z',
      payload: { type: 'phone_number.moved', timestamp: '2026-11-22T08:15:30.900Z', data: { phone_number_id: 42, normalized_number: '+6281234567890', from_category: { id: 2, name: 'Prospek' }, to_category: { id: 1, name: 'Pelanggan VIP' } } },
    },
  });

export const DeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before_id: RowIdParam.optional().openapi({ description: 'Page on: the last id of the previous page' }),
});

export type CreateWebhookInput = z.infer<typeof CreateWebhookSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
