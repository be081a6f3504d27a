import { createRoute } from '@hono/zod-openapi';
import { access } from '../auth/require-role.js';
import { errorResponses, IdParamSchema, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { CreatedWebhookSchema, CreateWebhookSchema, DeliveriesQuerySchema, WebhookDeliverySchema, WebhookSchema } from './webhooks.schemas.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, sendTestEvent } from './webhooks.service.js';

const tags = ['Webhooks'];

export const webhooksRouter = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/webhooks',
      operationId: 'createWebhook',
      ...access('admin'),
      tags,
      summary: 'Register an endpoint for events; the answer carries its signing secret, once',
      request: { body: { required: true, content: { 'application/json': { schema: CreateWebhookSchema } } } },
      responses: { 201: jsonContent(CreatedWebhookSchema, 'Registered'), ...errorResponses(400, 401, 403, 422, 503) },
    }),
    async (c) => c.json(await createWebhook(c.get('ctx'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/webhooks',
      operationId: 'listWebhooks',
      ...access('admin'),
      tags,
      summary: 'Every registered endpoint (never its secret)',
      responses: { 200: jsonContent(WebhookSchema.array(), 'The endpoints'), ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await listWebhooks(c.get('ctx')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/webhooks/{id}',
      operationId: 'deleteWebhook',
      ...access('admin'),
      tags,
      summary: 'Delete an endpoint with its delivery log; nothing more is sent to it',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deleteWebhook(c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/{id}/test',
      operationId: 'sendTestWebhook',
      ...access('admin'),
      tags,
      summary: 'Send a signed webhook.test event to the endpoint now and answer how it went',
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(WebhookDeliverySchema, 'The delivery after its first attempt'), ...errorResponses(400, 401, 403, 404, 503) },
    }),
    async (c) => c.json(await sendTestEvent(c.get('ctx'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      ...access('admin'),
      tags,
      summary: 'The delivery log of an endpoint, newest first: status, attempts, last answer, the body sent',
      request: { params: IdParamSchema, query: DeliveriesQuerySchema },
      responses: { 200: jsonContent(WebhookDeliverySchema.array(), 'Deliveries'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await listDeliveries(c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
