import { createRoute } from '@hono/zod-openapi';
import { access } from '../auth/require-role.js';
import { errorResponses, jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { StatsQuerySchema, StatsSchema } from './stats.schemas.js';
import { getStats } from './stats.service.js';

export const statsRouter = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/stats',
    operationId: 'getStats',
    ...access('staff'),
    tags: ['Stats'],
    summary: 'Totals, numbers per category, numbers filed per day, imports',
    request: { query: StatsQuerySchema },
    responses: { 200: jsonContent(StatsSchema, 'Stats'), ...errorResponses(400, 401, 403, 429) },
  }),
  async (c) => c.json(await getStats(c.get('ctx'), c.req.valid('query').days), 200),
);
