import { z } from '@hono/zod-openapi';
import { IDENTITY_KINDS } from '../phone/sender-identity.js';
import { MAX_IDENTITY_PAIRS } from './identities.service.js';

export const IdentityParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' }, example: '123456789012345@lid' }),
});

export const LearnIdentitiesSchema = z
  .object({
    pairs: z
      .array(
        z
          .object({
            id: z.string().max(200).openapi({ example: '123456789012345@lid' }),
            phone: z.string().max(200).openapi({ example: '6281234567890@s.whatsapp.net' }),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_IDENTITY_PAIRS),
  })
  .strict()
  .openapi('LearnIdentities');

export const LearnIdentitiesResultSchema = z
  .object({
    stored: z.number().int().openapi({ description: 'Ids that are new or now point at another number' }),
    unchanged: z.number().int().openapi({ description: 'Valid pairs that were already known so' }),
    rejected: z.array(z.object({ index: z.number().int(), reason: z.enum(['NOT_AN_IDENTITY', 'NOT_A_PHONE_NUMBER']) })),
  })
  .openapi('LearnIdentitiesResult');

export const IdentitySchema = z
  .object({
    id: z.string(),
    kind: z.enum(IDENTITY_KINDS),
    normalized_number: z.string(),
    first_seen_at: z.string(),
    last_seen_at: z.string(),
  })
  .openapi('Identity');
