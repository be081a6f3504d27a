import { z } from '@hono/zod-openapi';
import { RowIdParam } from '../http/common.schemas.js';

const CategoryName = z.string().trim().min(1).max(100).openapi({ example: 'Pelanggan VIP' });
const CategoryDescription = z.string().trim().max(1000).nullable().openapi({ example: 'Pelanggan dengan tingkat prioritas tinggi' });

export const CategorySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    phone_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Category', {
    example: { id: 1, name: 'Pelanggan VIP', description: 'Pelanggan dengan tingkat prioritas tinggi', phone_count: 1250, created_at: '2026-11-22T08:15:30.000Z', updated_at: '2026-11-22T08:15:30.000Z' },
  });

export const CategoryRefSchema = z.object({ id: z.number().int(), name: z.string() }).openapi('CategoryRef');
/**
 * A category or null. Written as a union because `.nullable()` on a registered schema is rendered
 * as `allOf: [$ref, {type: [object, null]}]`, which forbids null: generated clients then type the
 * field as never null, and a validator refuses our own answers.
 */
export const NullableCategoryRefSchema = z.union([CategoryRefSchema, z.null()]);

export const CreateCategorySchema = z
  .object({ name: CategoryName, description: CategoryDescription.optional() })
  .strict()
  .openapi('CreateCategory');

export const UpdateCategorySchema = z
  .object({ name: CategoryName.optional(), description: CategoryDescription.optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.description !== undefined, {
    message: 'give a name or a description to change',
  })
  .openapi('UpdateCategory');

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const DeleteCategoryQuerySchema = z
  .object({
    move_to: RowIdParam.optional().openapi({ description: 'Move the numbers here first' }),
    cascade: booleanQuery.optional().openapi({ description: 'Delete the numbers with the category' }),
  })
  .refine((query) => !(query.move_to !== undefined && query.cascade), {
    message: 'move_to and cascade=true cannot be combined',
  });

export const DeleteCategoryResultSchema = z
  .object({ id: z.number().int(), moved_numbers: z.number().int(), deleted_numbers: z.number().int() })
  .openapi('DeletedCategory');

export type Category = z.infer<typeof CategorySchema>;
export type CreateCategoryInput = z.infer<typeof CreateCategorySchema>;
export type UpdateCategoryInput = z.infer<typeof UpdateCategorySchema>;
export type DeleteCategoryOptions = z.infer<typeof DeleteCategoryQuerySchema>;
