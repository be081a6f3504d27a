import { z } from '@hono/zod-openapi';
import { ERROR_STATUS } from '../errors.js';

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
      message: z.string(),
      request_id: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const IdParamSchema = z.object({
  id: z.coerce.number().int().positive().max(2 ** 53).openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

/** Error responses for a route's OpenAPI entry; every one of them is the one envelope. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: `Error (${status})`, content: { 'application/json': { schema: ErrorEnvelopeSchema } } },
    ]),
  );
}

export function jsonContent<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
