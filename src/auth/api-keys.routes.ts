import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParamSchema, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema } from './api-keys.schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';
import { access } from './require-role.js';

const tags = ['API keys'];

export const apiKeysRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api-keys',
      operationId: 'listApiKeys',
      ...access('admin'),
      tags,
      summary: 'Every key, with its prefix, role and last use (never the key itself)',
      responses: { 200: jsonContent(z.object({ items: z.array(ApiKeySchema) }), 'Keys'), ...errorResponses(401, 403, 429) },
    }),
    async (c) => c.json({ items: await listApiKeys(c.get('ctx')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api-keys',
      operationId: 'createApiKey',
      ...access('admin'),
      tags,
      summary: 'Create a key; the answer carries the key once, only its hash is stored',
      request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeySchema } } } },
      responses: { 201: jsonContent(CreatedApiKeySchema, 'Created'), ...errorResponses(400, 401, 403, 429) },
    }),
    async (c) => c.json(await createApiKey(c.get('ctx'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api-keys/{id}',
      operationId: 'revokeApiKey',
      ...access('admin'),
      tags,
      summary: 'Revoke a key: it is refused from the next request on',
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(ApiKeySchema, 'Revoked'), ...errorResponses(400, 401, 403, 404, 429) },
    }),
    async (c) => c.json(await revokeApiKey(c.get('ctx'), c.req.valid('param').id), 200),
  );
