import { z } from '@hono/zod-openapi';
import { CategoryRefSchema, NullableCategoryRefSchema } from '../categories/categories.schemas.js';

export const LookupParamSchema = z.object({
  number: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'number', in: 'path' }, example: '6281234567890@s.whatsapp.net' }),
});

export const LookupResultSchema = z
  .object({
    normalized_number: z.string(),
    category: CategoryRefSchema,
    phone_number_id: z.number().int(),
    resolved_from: z.enum(['phone', 'lid', 'bsuid']),
    name: z.string().nullable().openapi({ description: 'The contact\'s name, when one was given', example: 'Budi' }),
  })
  .openapi('LookupResult', {
    example: { normalized_number: '+6281234567890', category: { id: 1, name: 'Pelanggan VIP' }, phone_number_id: 42, resolved_from: 'phone', name: 'Budi' },
  });

export const LookupQuerySchema = z.object({
  alt: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'The other form of the same sender the bot saw (remoteJidAlt, senderPn, wa_id…): a valid pair is remembered', example: '6281234567890@s.whatsapp.net' }),
});

export const MAX_BATCH_LOOKUP = 1000;

export const BatchLookupSchema = z
  .object({
    numbers: z
      .array(z.union([z.string().max(200), z.object({ id: z.string().min(1).max(200), alt: z.string().min(1).max(200).optional() }).strict()]))
      .min(1)
      .max(MAX_BATCH_LOOKUP),
  })
  .strict()
  .openapi('BatchLookup', { example: { numbers: ['0812-3456-7890', { id: '201234567890123@lid', alt: '6281234567890@s.whatsapp.net' }] } });

export const BatchLookupResultSchema = z
  .object({
    results: z.array(
      z.object({
        input: z.string(),
        normalized_number: z.string().nullable(),
        valid: z.boolean(),
        reason: z.string().nullable(),
        resolved_from: z.enum(['phone', 'lid', 'bsuid']).nullable(),
        category: NullableCategoryRefSchema,
        phone_number_id: z.number().int().nullable(),
        name: z.string().nullable(),
      }),
    ),
  })
  .openapi('BatchLookupResult', {
    example: {
      results: [
        { input: '0812-3456-7890', normalized_number: '+6281234567890', valid: true, reason: null, resolved_from: 'phone', category: { id: 1, name: 'Pelanggan VIP' }, phone_number_id: 42, name: 'Budi' },
        { input: '201234567890123@lid', normalized_number: null, valid: false, reason: 'UNRESOLVED_IDENTITY', resolved_from: 'lid', category: null, phone_number_id: null, name: null },
      ],
    },
  });

export type LookupResult = z.infer<typeof LookupResultSchema>;
export type BatchLookupResult = z.infer<typeof BatchLookupResultSchema>;
