import { createRoute, z } from '@hono/zod-openapi';
import { jsonContent } from '../http/common.schemas.js';
import { createRouter } from '../http/router.js';
import type { WorkerCount } from '../server/worker-count.js';
import { checkDatabase } from './health.service.js';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    database: z.enum(['up', 'down']),
    lookup_cache: z.enum(['live', 'bypassed', 'off']).openapi({
      description: 'live: kept right by notifications; bypassed: notifications lost, every lookup reads the database; off: LOOKUP_CACHE_SIZE=0',
    }),
    workers: z
      .object({ up: z.number().int(), configured: z.number().int() })
      .openapi({ description: 'API worker processes serving on this port (WEB_CONCURRENCY), as the answering one knows' }),
    read_replicas: z
      .array(z.object({ name: z.string().openapi({ example: 'replica-1:5432' }), in_use: z.boolean(), lag_ms: z.number().int().nullable() }))
      .openapi({
        description:
          'DATABASE_READ_URLS as the answering process sees them: in_use false when down (lag_ms null), behind by more than REPLICA_MAX_LAG_MS, ' +
          'or not yet past a change the primary announced. Empty when none are configured.',
      }),
  })
  .openapi('Health');

export const createHealthRouter = (workers: () => WorkerCount) => createRouter().openapi(
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
    const lookupCache: 'off' | 'live' | 'bypassed' = !ctx.lookupCache ? 'off' : ctx.lookupCache.live ? 'live' : 'bypassed';
    const common = { lookup_cache: lookupCache, workers: workers(), read_replicas: ctx.readReplicas?.status() ?? [] };
    return up
      ? c.json({ status: 'ok', database: 'up', ...common } as const, 200)
      : c.json({ status: 'unavailable', database: 'down', ...common } as const, 503);
  },
);
