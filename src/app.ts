import type { Sequelize } from 'sequelize';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Logger } from 'pino';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { timeout } from 'hono/timeout';
import { ApiKeyCache } from './auth/api-key-cache.js';
import { apiKeysRouter } from './auth/api-keys.routes.js';
import { AddressLimiter } from './auth/address-limiter.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { categoriesRouter } from './categories/categories.routes.js';
import { docsRouter } from './docs/docs.routes.js';
import { SETTING_DEFAULTS } from './env.js';
import { AppError, errorEnvelope } from './errors.js';
import { createHealthRouter } from './health/health.routes.js';
import { probeDatabase } from './health/health.service.js';
import { DatabaseOutageLog } from './http/database-outage.js';
import { drainUnreadBody } from './http/drain-unread-body.js';
import { handleError } from './http/error-handler.js';
import { logRequest } from './http/request-log.js';
import { requestIdAndStandingHeaders } from './http/response-headers.js';
import { createRouter } from './http/router.js';
import type { LookupCache } from './lookup/lookup-cache.js';
import type { ReadReplicas } from './db/read-replicas.js';
import { lookupRouter } from './lookup/lookup.routes.js';
import { identitiesRouter } from './identities/identities.routes.js';
import { normalizeRouter } from './normalize/normalize.routes.js';
import { createImportsRouter } from './imports/imports.routes.js';
import { UploadGate } from './imports/upload-gate.js';
import { phoneNumbersRouter } from './phone-numbers/phone-numbers.routes.js';
import { statsRouter } from './stats/stats.routes.js';
import { erasureRouter } from './erasure/erasure.routes.js';
import { API_TAGS } from './http/api-tags.js';
import { createWebRouter } from './web/web.routes.js';
import type { WorkerCount } from './server/worker-count.js';
import type { WebhookSettings } from './webhooks/webhook-settings.js';
import { webhooksRouter } from './webhooks/webhooks.routes.js';
import type { ServiceContext } from './context.js';

export interface AppDependencies {
  sequelize: Sequelize;
  defaultRegion: CountryCode;
  logger: Logger;
  importMaxBytes?: number;
  /** Uploads in progress at once (IMPORT_MAX_CONCURRENT). */
  importMaxConcurrent?: number;
  /** An upload silent this long is aborted (IMPORT_STALL_TIMEOUT_MS). */
  importStallTimeoutMs?: number;
  /** Failed key checks per client address per minute before its unknown keys are refused unread; 0 turns it off. */
  authFailuresPerMinute?: number;
  /** Read the client's address from X-Forwarded-For (behind one trusted proxy). */
  trustProxy?: boolean;
  /** Requests per minute per key; 0 turns the limit off. */
  rateLimitPerMinute?: number;
  /** Origins allowed to call the API from a browser; none unless configured. */
  corsOrigins?: string[];
  /** Bound on a JSON request's handling time. */
  requestTimeoutMs?: number;
  lookupCache?: LookupCache;
  /** DATABASE_READ_URLS, watched for lag; absent: every read goes to the primary. */
  readReplicas?: ReadReplicas;
  /** statement_timeout of one search (SEARCH_TIMEOUT_MS). */
  searchTimeoutMs?: number;
  /** Key of the hash an erasure leaves in the audit log. */
  erasureKey?: Buffer;
  /** How long audit entries (and so histories) are kept. */
  auditRetentionDays?: number;
  /** CONSOLE_SESSION_IDLE_MINUTES and CONSOLE_SESSION_MAX_HOURS, in seconds. */
  consoleSessionLimits?: { idleSeconds: number; absoluteSeconds: number };
  /** The API processes on this port, for /health (one of one unless WEB_CONCURRENCY runs more). */
  workers?: () => WorkerCount;
  /** Webhook sealing and delivery settings (the worker runs apart, in index.ts). */
  webhooks?: WebhookSettings;
}

/** JSON bodies are small (≤ 1000 numbers in a batch lookup); anything bigger is refused unread. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_JSON_TIMEOUT_MS = 30_000;

/**
 * The owner has not chosen a licence yet (see the README); "Proprietary" says so until they do.
 * `identifier` (an SPDX reference) is OpenAPI 3.1; the config's type only knows 3.0's license fields.
 */
const LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' };

/**
 * What one process keeps between requests: the services' context and the limiters. Shared by the
 * app and the lookup fast path (src/lookup/lookup-fast-path.ts), so a key's minute and an address's
 * failures are counted once, whichever answers.
 */
export interface AppState {
  ctx: ServiceContext;
  rateLimiter: RateLimiter;
  addressLimiter: AddressLimiter;
  outageLog: DatabaseOutageLog;
}

export function createAppState(deps: AppDependencies): AppState {
  return {
    // The same for every request: made once (a route adds the actor to a copy).
    ctx: { sequelize: deps.sequelize, defaultRegion: deps.defaultRegion, lookupCache: deps.lookupCache, readReplicas: deps.readReplicas, apiKeyCache: new ApiKeyCache(), searchTimeoutMs: deps.searchTimeoutMs, erasureKey: deps.erasureKey, auditRetentionDays: deps.auditRetentionDays, webhooks: deps.webhooks },
    rateLimiter: new RateLimiter({ sequelize: deps.sequelize }, deps.rateLimitPerMinute ?? SETTING_DEFAULTS.RATE_LIMIT_PER_MINUTE),
    addressLimiter: new AddressLimiter(deps.authFailuresPerMinute ?? SETTING_DEFAULTS.AUTH_FAILURES_PER_MINUTE),
    outageLog: new DatabaseOutageLog(deps.logger, () => probeDatabase(deps.sequelize)),
  };
}

export function createApp(deps: AppDependencies, state: AppState = createAppState(deps)) {
  const app = createRouter();
  const { ctx, rateLimiter, addressLimiter, outageLog } = state;
  const trustProxy = deps.trustProxy ?? false;
  const consoleSessionLimits = deps.consoleSessionLimits ?? { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 };
  // One gate for the API and the console: both take uploads from the same process.
  const uploads = new UploadGate(deps.importMaxConcurrent ?? SETTING_DEFAULTS.IMPORT_MAX_CONCURRENT, deps.importStallTimeoutMs ?? SETTING_DEFAULTS.IMPORT_STALL_TIMEOUT_MS);

  app.use(requestIdAndStandingHeaders);
  app.use(async (c, next) => {
    // The request id goes into each line, not into a child logger: a pino child() per request cost
    // tens of µs (measured in-process), as much as answering a cached lookup.
    c.set('logger', deps.logger);
    c.set('ctx', ctx);
    c.set('rateLimiter', rateLimiter);
    c.set('addressLimiter', addressLimiter);
    c.set('trustProxy', trustProxy);
    c.set('outageLog', outageLog);
    c.set('consoleSessionLimits', consoleSessionLimits);
    const startedAt = performance.now();
    await next();
    logRequest(deps.logger, { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, startedAt });
  });
  app.use(drainUnreadBody);
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    app.use('/v1/*', cors({ origin: deps.corsOrigins, allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600 }));
  }
  // Imports stream their body and count bytes themselves (IMPORT_MAX_BYTES); every other body is JSON.
  const jsonBodyLimit = bodyLimit({
      maxSize: JSON_BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${JSON_BODY_LIMIT_BYTES} bytes`);
      },
  });
  const jsonTimeout = timeout(deps.requestTimeoutMs ?? DEFAULT_JSON_TIMEOUT_MS);
  const isUpload = (method: string, path: string) => method === 'POST' && path === '/v1/imports';
  // GET and HEAD carry no body; skipping them also spares materializing the whole Request, which
  // the body limit's check does and which cost a bot's lookups ~10% of their CPU (profiled).
  const hasJsonBody = (method: string, path: string) => method !== 'GET' && method !== 'HEAD' && !isUpload(method, path);
  app.use('/v1/*', (c, next) => (hasJsonBody(c.req.method, c.req.path) ? jsonBodyLimit(c, next) : next()));
  // Uploads are bounded by REQUEST_TIMEOUT_MS on the server; requests with a JSON body must answer
  // promptly. A GET sets no timer (a timer per lookup was measurable): its work is the database's,
  // bounded there by statement_timeout (60 s; a search by SEARCH_TIMEOUT_MS) and the pool's
  // acquire timeout (10 s).
  app.use('/v1/*', (c, next) => (hasJsonBody(c.req.method, c.req.path) ? jsonTimeout(c, next) : next()));

  // Chained, so that the returned app's type carries every API route (hono/testing's testClient and
  // hc read it); .route() returns the same app, so the mounting order is what it always was.
  const api = app
    .route('/', createHealthRouter(deps.workers ?? (() => ({ up: 1, configured: 1 }))))
    .route('/v1', normalizeRouter)
    .route('/v1', lookupRouter)
    .route('/v1', identitiesRouter)
    .route('/v1', categoriesRouter)
    .route('/v1', phoneNumbersRouter)
    .route('/v1', createImportsRouter({ maxBytes: deps.importMaxBytes ?? SETTING_DEFAULTS.IMPORT_MAX_BYTES, uploads }))
    .route('/v1', apiKeysRouter)
    .route('/v1', statsRouter)
    .route('/v1', erasureRouter)
    .route('/v1', webhooksRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer wak_…`. Roles: bot (read) < staff (import, file, move) < admin.',
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'WhatsApp contact categories',
      version: '1.0.0',
      description:
        'Files phone numbers, however they are written, as E.164 numbers in categories. Every error is ' +
        '`{ error: { code, message, request_id, details? } }` with code one of VALIDATION_FAILED, UNAUTHENTICATED, ' +
        'FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, RATE_LIMITED, INVALID_NUMBER, ' +
        'UNAVAILABLE, INTERNAL.',
      license: LICENSE,
    },
    // Relative: the document describes whichever server serves it (a client passes its own base URL).
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: API_TAGS,
  });

  app.route('/', docsRouter);
  app.route('/', createWebRouter({ maxBytes: deps.importMaxBytes ?? SETTING_DEFAULTS.IMPORT_MAX_BYTES, uploads }));

  app.notFound((c) =>
    c.json(errorEnvelope('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`, c.get('requestId') ?? 'unknown'), 404),
  );
  app.onError(handleError);
  // The console and the docs (HTML, mounted last at '/') stay out of the type: typed clients call the API.
  return api;
}

export type App = ReturnType<typeof createApp>;
