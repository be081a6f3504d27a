import { access } from '../auth/require-role.js';
import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { BatchLookupResultSchema, BatchLookupSchema, LookupParamSchema, LookupQuerySchema, LookupResultSchema } from './lookup.schemas.js';
import { lookupNumber, lookupNumbers } from './lookup.service.js';

const tags = ['Lookup'];

export const lookupRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/lookup/{number}',
      operationId: 'lookupNumber',
      ...access('bot'),
      tags,
      summary: 'The category of one number, in any accepted form (WhatsApp ids included)',
      description:
        'The sender may be any phone form, a LID (`…@lid`, `…:7@lid`, `…@hosted.lid`) or a BSUID (`ID.1349…`). ' +
        'An id with no known number answers 404 UNRESOLVED_IDENTITY; a number that is not filed, 404 NOT_FOUND.',
      request: { params: LookupParamSchema, query: LookupQuerySchema },
      responses: {
        200: jsonContent(LookupResultSchema, 'Filed'),
        ...errorResponses(401, 403, 404, 422),
      },
    }),
    async (c) => c.json(await lookupNumber(c.get('ctx'), c.req.valid('param').number, c.req.valid('query').alt), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/lookup',
      operationId: 'lookupNumbers',
      ...access('bot'),
      tags,
      summary: 'The categories of up to 1000 numbers, in input order',
      request: { body: { required: true, content: { 'application/json': { schema: BatchLookupSchema } } } },
      responses: { 200: jsonContent(BatchLookupResultSchema, 'One result per input'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await lookupNumbers(c.get('ctx'), c.req.valid('json').numbers), 200),
  );
