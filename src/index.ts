import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { countActiveApiKeys, createApiKey } from './auth/api-keys.service.js';
import { LookupCache } from './lookup/lookup-cache.js';
import { openDatabase } from './db/database.js';
import { readEnv } from './env.js';
import { loadErasureKey, loadServerKey } from './erasure/erasure-key.js';
import { startWebhookWorker } from './webhooks/webhook-worker.js';
import type { WebhookSettings } from './webhooks/webhook-settings.js';
import { startRetention } from './retention/retention.service.js';
import { createLogger } from './logger.js';

const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);

const database = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  migrate: env.MIGRATE_ON_START,
  log: (message) => logger.info(message),
});

const lookupCache =
  env.LOOKUP_CACHE_SIZE > 0 ? new LookupCache({ databaseUrl: database.url, maxEntries: env.LOOKUP_CACHE_SIZE, logger }) : undefined;
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

const app = createApp({
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
  webhooks,
});

// A newcomer's first start has no keys at all: make one admin key and show it, once.
if (!env.DATABASE_URL && (await countActiveApiKeys({ sequelize: database.sequelize })) === 0) {
  const created = await createApiKey({ sequelize: database.sequelize, defaultRegion: env.DEFAULT_REGION }, { name: 'first admin', role: 'admin' });
  console.log(
    [
      '',
      'No API keys existed, so one admin key was made. It is shown only now; keep it somewhere safe:',
      '',
      `  ${created.key}`,
      '',
      'Make more with: npm run apikey -- create --role bot|staff|admin --name NAME',
      '',
    ].join('\n'),
  );
}
const stopRetention = startRetention(
  { sequelize: database.sequelize },
  { auditDays: env.AUDIT_RETENTION_DAYS, rejectionDays: env.IMPORT_REJECTIONS_RETENTION_DAYS },
  logger,
);

const stopWebhooks = webhooks
  ? startWebhookWorker({ sequelize: database.sequelize }, { ...webhooks, pollMs: env.WEBHOOK_POLL_MS, logRetentionDays: env.WEBHOOK_LOG_RETENTION_DAYS }, logger)
  : async () => {};

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  logger.info(`listening on http://${info.address}:${info.port}`);
});
// Node cuts requests after 300 s by default: too short to upload and import a large spreadsheet.
if ('requestTimeout' in server) server.requestTimeout = env.REQUEST_TIMEOUT_MS;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  stopRetention();
  await stopWebhooks();
  await lookupCache?.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
