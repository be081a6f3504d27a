import { createRoute, z } from '@hono/zod-openapi';
import { access } from '../auth/require-role.js';
import { errorResponses, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { eraseNumber } from './erasure.service.js';

const EraseRequestSchema = z.object({ number: z.string().min(1).max(100).openapi({ example: '0812-3456-7890' }) }).openapi('EraseRequest');
const ErasedSchema = z
  .object({
    erased: z.object({
      phone_numbers: z.number().int(),
      identities: z.number().int(),
      audit_entries: z.number().int(),
      rejections: z.number().int(),
      webhook_deliveries: z.number().int().openapi({ description: 'Webhook deliveries (pending or logged) whose body named the number or its contact' }),
    }),
  })
  .openapi('Erased');

export const erasureRouter = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/erasures',
    operationId: 'eraseNumber',
    ...access('admin'),
    tags: ['Erasure'],
    summary: "Erase a person's number everywhere it is held (filed row, name, ids, history, audit values, import rejections, webhook deliveries)",
    request: { body: { required: true, content: { 'application/json': { schema: EraseRequestSchema } } } },
    responses: { 200: jsonContent(ErasedSchema, 'What was erased'), ...errorResponses(400, 401, 403, 422, 503) },
  }),
  async (c) => c.json(await eraseNumber(c.get('ctx'), c.req.valid('json').number), 200),
);
