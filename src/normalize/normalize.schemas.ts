import { z } from '@hono/zod-openapi';
import { REJECTION_REASONS } from '../phone/rejection-reason.js';

export const NormalizeQuerySchema = z.object({
  number: z.string().max(200).openapi({ example: '6281234567890@s.whatsapp.net' }),
});

export const NormalizeResultSchema = z
  .object({
    input: z.string(),
    valid: z.boolean(),
    kind: z.enum(['phone', 'lid', 'bsuid']).nullable().openapi({ description: 'A LID or BSUID is never valid as a number' }),
    id: z.string().optional().openapi({ description: 'The canonical id, when kind is lid or bsuid' }),
    normalized_number: z.string().nullable(),
    type: z.string().nullable(),
    region: z.string().nullable(),
    reason: z.enum(REJECTION_REASONS).nullable(),
  })
  .openapi('NormalizeResult', {
    example: { input: '0812-3456-7890', valid: true, kind: 'phone', normalized_number: '+6281234567890', type: 'MOBILE', region: 'ID', reason: null },
  });

export type NormalizeResult = z.infer<typeof NormalizeResultSchema>;
