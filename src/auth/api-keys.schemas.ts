import { z } from '@hono/zod-openapi';
import { ROLES } from './roles.js';

export const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(ROLES),
    prefix: z.string().openapi({ example: 'wak_1a2b3c4d', description: 'The visible start of the key' }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

export const CreateApiKeySchema = z
  .object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) })
  .strict()
  .openapi('CreateApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The key itself: shown once, never stored' }),
}).openapi('CreatedApiKey');

export type ApiKey = z.infer<typeof ApiKeySchema>;
export type CreateApiKeyInput = z.infer<typeof CreateApiKeySchema>;
