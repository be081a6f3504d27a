import { access } from '../auth/require-role.js';
import { createRoute } from '@hono/zod-openapi';
import { errorResponses, IdParamSchema, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import {
  FilePhoneNumberSchema,
  ListPhoneNumbersQuerySchema,
  MovePhoneNumberSchema,
  PhoneNumberPageSchema,
  PhoneNumberDetailSchema,
  PhoneNumberSchema,
} from './phone-numbers.schemas.js';
import {
  deletePhoneNumber,
  filePhoneNumber,
  getPhoneNumberDetail,
  listPhoneNumbers,
  movePhoneNumber,
} from './phone-numbers.service.js';
import { getPhoneNumberHistory, PhoneNumberHistorySchema } from './phone-number-history.js';

const tags = ['Phone numbers'];

export const phoneNumbersRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/phone-numbers',
      operationId: 'listPhoneNumbers',
      ...access('staff'),
      tags,
      summary: 'List or search filed numbers, newest first',
      request: { query: ListPhoneNumbersQuerySchema },
      responses: { 200: jsonContent(PhoneNumberPageSchema, 'One page'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await listPhoneNumbers(c.get('ctx'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/phone-numbers',
      operationId: 'filePhoneNumber',
      ...access('staff'),
      tags,
      summary: 'File a number into a category',
      request: { body: { required: true, content: { 'application/json': { schema: FilePhoneNumberSchema } } } },
      responses: {
        201: jsonContent(PhoneNumberSchema, 'Filed'),
        ...errorResponses(400, 401, 403, 409, 422),
      },
    }),
    async (c) => c.json(await filePhoneNumber(c.get('ctx'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/phone-numbers/{id}',
      operationId: 'getPhoneNumber',
      ...access('staff'),
      tags,
      summary: 'One filed number, with the LIDs and BSUIDs paired with it',
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(PhoneNumberDetailSchema, 'The number'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getPhoneNumberDetail(c.get('ctx'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/phone-numbers/{id}',
      operationId: 'updatePhoneNumber',
      ...access('staff'),
      tags,
      summary: 'Move a number to another category',
      request: {
        params: IdParamSchema,
        body: { required: true, content: { 'application/json': { schema: MovePhoneNumberSchema } } },
      },
      responses: { 200: jsonContent(PhoneNumberSchema, 'Moved'), ...errorResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await movePhoneNumber(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/phone-numbers/{id}/history',
      operationId: 'getPhoneNumberHistory',
      ...access('staff'),
      tags,
      summary: 'Every category change of a number: when, who, through which import',
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(PhoneNumberHistorySchema, 'Oldest first'), ...errorResponses(400, 401, 403, 404, 429) },
    }),
    async (c) => c.json(await getPhoneNumberHistory(c.get('ctx'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/phone-numbers/{id}',
      operationId: 'deletePhoneNumber',
      ...access('staff'),
      tags,
      summary: 'Delete a filed number',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deletePhoneNumber(c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
