import { createRoute } from '@hono/zod-openapi';
import { access } from '../auth/require-role.js';
import { errorResponses, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { IdentityParamSchema, IdentitySchema, LearnIdentitiesResultSchema, LearnIdentitiesSchema } from './identities.schemas.js';
import { forgetIdentity, getIdentity, learnIdentities } from './identities.service.js';

const tags = ['Identities'];

export const identitiesRouter = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/identities',
      operationId: 'learnIdentities',
      // Bots teach pairs: they are the ones who see them.
      ...access('bot'),
      tags,
      summary: 'Remember up to 10,000 LID/BSUID → phone pairs (a history sync’s lidPnMappings); the latest pair for an id wins',
      request: { body: { required: true, content: { 'application/json': { schema: LearnIdentitiesSchema } } } },
      responses: { 200: jsonContent(LearnIdentitiesResultSchema, 'What was stored'), ...errorResponses(400, 401, 403, 413) },
    }),
    async (c) => c.json(await learnIdentities(c.get('ctx'), c.req.valid('json').pairs), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/identities/{id}',
      operationId: 'getIdentity',
      ...access('bot'),
      tags,
      summary: 'The number a LID or BSUID is paired with',
      request: { params: IdentityParamSchema },
      responses: { 200: jsonContent(IdentitySchema, 'The pair'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getIdentity(c.get('ctx'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/identities/{id}',
      operationId: 'forgetIdentity',
      ...access('staff'),
      tags,
      summary: 'Forget one pair',
      request: { params: IdentityParamSchema },
      responses: { 204: { description: 'Forgotten' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await forgetIdentity(c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
