import { z } from '@hono/zod-openapi';
import { RowIdParam, RowIdSchema } from '../http/common.schemas.js';
import { CategoryRefSchema } from '../categories/categories.schemas.js';

export const PhoneNumberSchema = z
  .object({
    id: z.number().int(),
    original_number: z.string(),
    normalized_number: z.string().openapi({ example: '+628123456789' }),
    number_type: z.string().nullable().openapi({ example: 'MOBILE' }),
    name: z.string().nullable().openapi({ description: 'The contact\'s name', example: 'Budi' }),
    category: CategoryRefSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('PhoneNumber', {
    example: { id: 42, original_number: '0812-3456-7890', normalized_number: '+6281234567890', number_type: 'MOBILE', name: 'Budi', category: { id: 1, name: 'Pelanggan VIP' }, created_at: '2026-11-22T08:15:30.000Z', updated_at: '2026-11-22T08:15:30.000Z' },
  });

/** One number as its own page shows it: with the LIDs and BSUIDs bots have seen for it. */
export const PhoneNumberDetailSchema = PhoneNumberSchema.extend({
  identities: z.array(z.object({ id: z.string(), kind: z.enum(['lid', 'bsuid']), last_seen_at: z.string() })),
}).openapi('PhoneNumberDetail', {
  example: {
    id: 42, original_number: '0812-3456-7890', normalized_number: '+6281234567890', number_type: 'MOBILE', name: 'Budi', category: { id: 1, name: 'Pelanggan VIP' },
    created_at: '2026-11-22T08:15:30.000Z', updated_at: '2026-11-22T08:15:30.000Z', identities: [{ id: '201234567890123@lid', kind: 'lid', last_seen_at: '2026-11-23T10:00:00.000Z' }],
  },
});
export type PhoneNumberDetail = z.infer<typeof PhoneNumberDetailSchema>;

const NumberInput = z.string().trim().min(1).max(100).openapi({ example: '0812-3456-789' });
/** A contact's name; an empty one clears it. */
export const ContactNameInput = z.string().trim().max(200).transform((name) => (name === '' ? null : name));
const CategoryIdInput = RowIdSchema;
const CategoryNameInput = z.string().trim().min(1).max(100);

/** A category is named by id or by name (any case), never both. */
const namesOneCategory = {
  check: (body: { category_id?: number | undefined; category?: string | undefined }) =>
    (body.category_id === undefined) !== (body.category === undefined),
  message: { message: 'give exactly one of category_id or category (a name)', path: ['category_id'] },
};

export const FilePhoneNumberSchema = z
  .object({ number: NumberInput, category_id: CategoryIdInput.optional(), category: CategoryNameInput.optional(), name: ContactNameInput.optional() })
  .strict()
  .refine(namesOneCategory.check, namesOneCategory.message)
  .openapi('FilePhoneNumber');

export const MovePhoneNumberSchema = z
  .object({ category_id: CategoryIdInput.optional(), category: CategoryNameInput.optional(), name: ContactNameInput.nullable().optional() })
  .strict()
  // A name alone changes the name; a category, when given, is named once.
  .refine((body) => !(body.category_id !== undefined && body.category !== undefined), namesOneCategory.message)
  .refine((body) => body.category_id !== undefined || body.category !== undefined || body.name !== undefined, {
    message: 'give category_id, category or name',
    path: ['category_id'],
  })
  .openapi('MovePhoneNumber');

export const ListPhoneNumbersQuerySchema = z.object({
  search: z
    .string()
    .trim()
    .max(100)
    .regex(/^[^\x00-\x1f\x7f]*$/, 'must not contain control characters')
    .optional()
    .openapi({
      description:
        'Part of a number as stored or as written (digits, national 08… or international 0062… forms), of a contact\'s name ' +
        'or of a category name. A search that is a whole number lists that number first.',
    }),
  category_id: RowIdParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor of the previous page' }),
});

export const PhoneNumberPageSchema = z
  .object({ items: z.array(PhoneNumberSchema), next_cursor: z.string().nullable() })
  .openapi('PhoneNumberPage');

export type PhoneNumber = z.infer<typeof PhoneNumberSchema>;
export type FilePhoneNumberInput = z.infer<typeof FilePhoneNumberSchema>;
export type MovePhoneNumberInput = z.infer<typeof MovePhoneNumberSchema>;
export type ListPhoneNumbersQuery = z.infer<typeof ListPhoneNumbersQuerySchema>;
