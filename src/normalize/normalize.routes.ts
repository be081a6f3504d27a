import { access } from '../auth/require-role.js';
import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { NormalizeQuerySchema, NormalizeResultSchema } from './normalize.schemas.js';
import { normalizeNumber } from './normalize.service.js';

export const normalizeRouter = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/normalize',
    operationId: 'normalizeNumber',
    ...access('bot'),
    tags: ['Lookup'],
    summary: 'How the service reads a number; 200 even when it is not valid',
    request: { query: NormalizeQuerySchema },
    responses: { 200: jsonContent(NormalizeResultSchema, 'The reading'), ...errorResponses(400, 401, 403) },
  }),
  (c) => c.json(normalizeNumber(c.get('ctx'), c.req.valid('query').number), 200),
);
