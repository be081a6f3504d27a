import { z } from '@hono/zod-openapi';
import { RowIdParam } from '../http/common.schemas.js';
import type { ColumnChoice } from './pipeline/csv-columns.js';

export const ON_DUPLICATE = ['skip', 'move'] as const;
export const IMPORT_SOURCES = ['cli', 'http', 'web'] as const;

const ColumnInput = z.string().trim().min(1).max(200).optional();

const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** The options of one import, shared by the HTTP query, the CLI flags and the web form. */
export const ImportOptionsSchema = z.object({
  category: z.string().trim().min(1).max(100).optional().openapi({ description: 'Category for rows without one of their own' }),
  category_for_every_row: booleanQuery
    .default(false)
    .openapi({ description: "true: every row goes to `category` (required then), whatever the file's own category column says" }),
  on_duplicate: z.enum(ON_DUPLICATE).default('skip').openapi({ description: 'skip: keep a filed number where it is; move: move it here' }),
  dry_run: booleanQuery.default(false).openapi({ description: 'Report what would happen; write nothing' }),
  create_categories: booleanQuery.default(false).openapi({ description: 'Create categories the file names that do not exist (admins)' }),
  phone_column: ColumnInput.openapi({ description: 'The phone column: a header as written, or a 1-based position; found by its name when not given' }),
  category_column: ColumnInput.openapi({ description: 'The category column: a header or a 1-based position' }),
  sheet: z.string().trim().min(1).max(100).optional().openapi({ description: 'The sheet of an .xlsx workbook to read; the first when not given' }),
  name_column: ColumnInput.openapi({ description: "The contacts' name column: a header or a 1-based position" }),
});

/** The column choices of validated import options, as the importer takes them. */
export function columnChoice(options: ImportOptions): ColumnChoice {
  return { phone: options.phone_column, category: options.category_column, name: options.name_column };
}

export const ImportRejectionSchema = z
  .object({
    line: z.number().int(),
    value: z.string(),
    reason: z.string(),
    last_line: z.number().int().optional().openapi({ description: 'The last line the rejection covers, when it covers several (UNBALANCED_QUOTE)' }),
  })
  .openapi('ImportRejection');

export const ImportReportSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['running', 'completed', 'failed']),
    source: z.enum(IMPORT_SOURCES),
    filename: z.string().nullable(),
    created_by: z.string().nullable(),
    dry_run: z.boolean(),
    on_duplicate: z.enum(ON_DUPLICATE),
    category: z.string().nullable(),
    category_for_every_row: z.boolean().openapi({ description: 'true: `category` was for every row; false: for rows without their own' }),
    rows_total: z.number().int(),
    inserted: z.number().int(),
    moved: z.number().int(),
    duplicates_in_file: z.number().int(),
    already_present: z.number().int(),
    invalid: z.number().int(),
    numbers_from_split_cells: z.number().int().openapi({ description: 'Numbers filed from cells that held several (`0812… / 0813…`), each its own contact' }),
    categories_created: z.array(z.string()),
    errors: z.array(ImportRejectionSchema).openapi({ description: 'The first 100 rejected rows; errors.csv has them all' }),
    failure: z.object({ reason: z.string(), message: z.string() }).nullable(),
    progress: z.object({
      bytes_read: z.number().int(),
      bytes_total: z.number().int().nullable(),
      percent: z.number().nullable(),
    }),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    reverted_at: z.string().nullable().openapi({ description: 'When the import was reverted (POST /v1/imports/{id}/revert), or null' }),
  })
  .openapi('ImportReport', {
    example: {
      id: 7, status: 'completed', source: 'http', filename: 'kontak.csv', created_by: 'staff laptop', dry_run: false, on_duplicate: 'skip',
      category: 'Prospek', category_for_every_row: false, rows_total: 10000, inserted: 9650, moved: 0, duplicates_in_file: 120,
      already_present: 200, invalid: 30, numbers_from_split_cells: 12, categories_created: [],
      errors: [{ line: 18, value: '0812', reason: 'TOO_SHORT' }], failure: null,
      progress: { bytes_read: 412000, bytes_total: 412000, percent: 100 },
      started_at: '2026-11-22T08:15:30.000Z', finished_at: '2026-11-22T08:15:32.400Z', reverted_at: null,
    },
  });

export const RevertResultSchema = z
  .object({
    removed: z.number().int().openapi({ description: 'Numbers the import filed, now removed' }),
    restored: z.number().int().openapi({ description: 'Numbers the import moved (or renamed), now back in their category (with their name)' }),
    kept_changed: z.number().int().openapi({ description: 'Numbers the import filed or moved that were changed since (or whose old category is gone): left as they are' }),
  })
  .openapi('ImportRevert');

export const ListImportsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before_id: RowIdParam.optional().openapi({ description: 'Page on: the last id of the previous page' }),
});

export type ImportOptions = z.infer<typeof ImportOptionsSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type ImportRejection = z.infer<typeof ImportRejectionSchema>;
export type ImportSource = (typeof IMPORT_SOURCES)[number];
