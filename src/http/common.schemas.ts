import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../errors.js';

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      request_id: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error', {
    example: { error: { code: 'NOT_FOUND', message: 'Phone number +6281234567890 is not filed', request_id: 'b3f1c2d4-5e6f-4a1b-9c8d-7e6f5a4b3c2d', details: { normalized_number: '+6281234567890' } } },
  });

/**
 * Largest value of a PostgreSQL `integer` column, which every id here is. An id past it is refused
 * here (400), not by PostgreSQL (which would answer "out of range" as a 500).
 */
export const MAX_ROW_ID = 2_147_483_647;

/** A row id in a JSON body. */
export const RowIdSchema = z.number().int().min(1).max(MAX_ROW_ID);
/** A row id in a path or query string. */
export const RowIdParam = z.coerce.number().int().min(1).max(MAX_ROW_ID);

export const IdParamSchema = z.object({
  id: RowIdParam.openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorEnvelopeSchema } } };

/**
 * Error responses for a route's OpenAPI entry; every one of them is the one envelope. Typed by
 * status (not a string-keyed record), so that a typed client knows each error status's body.
 */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, ErrorResponse> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: `Error (${status})`, content: { 'application/json': { schema: ErrorEnvelopeSchema } } },
    ]),
  ) as Record<S, ErrorResponse>;
}

export function jsonContent<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
