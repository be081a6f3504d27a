import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.js';
import { ReadReplicas } from '../db/read-replicas.js';
import type { Env } from '../env.js';
import { loadErasureKey, loadServerKey } from '../erasure/erasure-key.js';
import { standingHeadersServerOptions } from '../http/response-headers.js';
import { LookupCache } from '../lookup/lookup-cache.js';
import type { WebhookSettings } from '../webhooks/webhook-settings.js';
import { startWebhookWorker } from '../webhooks/webhook-worker.js';
import { createApiRequestListener } from './api-request-listener.js';
import type { WorkerCount } from './worker-count.js';

/** How long in-flight requests may take to finish after SIGTERM before their connections are cut. */
const DRAIN_TIMEOUT_MS = 25_000;

export interface ApiProcessOptions {
  env: Env;
  logger: Logger;
  database: DatabaseHandle;
  workers: () => WorkerCount;
  /** Work to stop before the database closes (retention, when this process runs it). */
  background?: () => void;
}

/**
 * One API process: the app on the port, its lookup cache, and a drain on SIGTERM/SIGINT (no new
 * connections; requests in flight finish, up to DRAIN_TIMEOUT_MS; then the cache and the database
 * close). Alone, or as one of a cluster's workers.
 */
export async function runApiProcess(options: ApiProcessOptions): Promise<void> {
  const { env, logger, database } = options;
  const readReplicas =
    env.DATABASE_READ_URLS.length > 0
      ? new ReadReplicas({
          primary: database.sequelize,
          urls: env.DATABASE_READ_URLS,
          maxLagMs: env.REPLICA_MAX_LAG_MS,
          logger,
          // Without the cache there are no notices: replicas are then bounded by REPLICA_MAX_LAG_MS alone.
          noticesLive: () => lookupCache?.live ?? true,
        })
      : undefined;
  await readReplicas?.start();
  const lookupCache =
    env.LOOKUP_CACHE_SIZE > 0
      ? new LookupCache({ databaseUrl: database.url, maxEntries: env.LOOKUP_CACHE_SIZE, logger, onChange: () => readReplicas?.noteChange() })
      : undefined;
  await lookupCache?.start();

  // Without a key erasures are refused (503) rather than leaving a hash nobody can check later.
  const erasureKey = await loadErasureKey(env.ERASURE_HMAC_KEY, env.DATA_DIR).catch((error: unknown) => {
    logger.warn({ err: error }, 'no ERASURE_HMAC_KEY and DATA_DIR is not writable: POST /v1/erasures will answer 503');
    return undefined;
  });

  // Without a key webhooks cannot be registered (503): a secret kept in clear is what the key prevents.
  const webhookSecretKey = await loadServerKey(env.WEBHOOK_SECRET_KEY, env.DATA_DIR, 'webhook-secret.key').catch((error: unknown) => {
    logger.warn({ err: error }, 'no WEBHOOK_SECRET_KEY and DATA_DIR is not writable: webhooks are off');
    return undefined;
  });
  const webhooks: WebhookSettings | undefined = webhookSecretKey && {
    secretKey: webhookSecretKey,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
  };
  // Every API process sends deliveries (FOR UPDATE SKIP LOCKED shares them out).
  const stopWebhooks = webhooks
    ? startWebhookWorker({ sequelize: database.sequelize }, { ...webhooks, pollMs: env.WEBHOOK_POLL_MS, logRetentionDays: env.WEBHOOK_LOG_RETENTION_DAYS }, logger)
    : async () => {};

  const { listener } = createApiRequestListener({
    sequelize: database.sequelize,
    defaultRegion: env.DEFAULT_REGION,
    logger,
    importMaxBytes: env.IMPORT_MAX_BYTES,
    importMaxConcurrent: env.IMPORT_MAX_CONCURRENT,
    importStallTimeoutMs: env.IMPORT_STALL_TIMEOUT_MS,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    erasureKey,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    consoleSessionLimits: { idleSeconds: env.CONSOLE_SESSION_IDLE_MINUTES * 60, absoluteSeconds: env.CONSOLE_SESSION_MAX_HOURS * 3600 },
    lookupCache,
    readReplicas,
    workers: options.workers,
    webhooks,
  }, { hostname: env.HOST });

  const server = createServer(standingHeadersServerOptions, listener);
  server.listen(env.PORT, env.HOST, () => {
    const info = server.address() as AddressInfo;
    logger.info(`listening on http://${info.address}:${info.port}`);
  });
  // Node cuts requests after 300 s by default: too short to upload and import a large spreadsheet.
  if ('requestTimeout' in server) server.requestTimeout = env.REQUEST_TIMEOUT_MS;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would hold close() open; busy ones finish their request first.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    const timer = setTimeout(() => {
      logger.warn('requests still running after the drain timeout; closing their connections');
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    await closed;
    clearTimeout(timer);
    options.background?.();
    await stopWebhooks();
    await lookupCache?.close();
    await readReplicas?.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
