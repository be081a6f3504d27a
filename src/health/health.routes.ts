import { createRoute, z } from '@hono/zod-openapi';
import { jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import { checkDatabase } from './health.service.js';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    database: z.enum(['up', 'down']),
    lookup_cache: z.enum(['live', 'bypassed', 'off']).openapi({
      description: 'live: kept right by notifications; bypassed: notifications lost, every lookup reads the database; off: LOOKUP_CACHE_SIZE=0',
    }),
  })
  .openapi('Health');

export const healthRouter = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tags: ['Health'],
    // Public: load balancers and Docker's HEALTHCHECK ask without a key.
    security: [],
    summary: 'Liveness and database reachability (no key needed)',
    responses: { 200: jsonContent(HealthSchema, 'Serving'), 503: jsonContent(HealthSchema, 'The database is unreachable') },
  }),
  async (c) => {
    const ctx = c.get('ctx');
    const up = await checkDatabase(ctx);
    const lookupCache = !ctx.lookupCache ? 'off' : ctx.lookupCache.live ? 'live' : 'bypassed';
    return up
      ? c.json({ status: 'ok', database: 'up', lookup_cache: lookupCache } as const, 200)
      : c.json({ status: 'unavailable', database: 'down', lookup_cache: lookupCache } as const, 503);
  },
);
