import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { countActiveApiKeys, createApiKey } from './auth/api-keys.service.js';
import { openDatabaseFromEnv, type DatabaseHandle } from './db/database.js';
import { readEnv, type Env } from './env.js';
import { loadErasureKey, loadServerKey } from './erasure/erasure-key.js';
import { createLogger } from './logger.js';
import { startRetention } from './retention/retention.service.js';
import { runApiProcess } from './server/api-process.js';
import { runPrimary } from './server/primary.js';
import { trackWorkerCount } from './server/worker-count.js';

const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);
const workers = env.WEB_CONCURRENCY ?? availableParallelism();
// Listening before anything else, so a count the primary sends early is not missed.
const workerCount = trackWorkerCount();

const database = await openDatabaseFromEnv(env, (message) => logger.info(message));

if (cluster.isWorker) {
  // One of the primary's workers: the primary owns the first key, retention and the database's life.
  await runApiProcess({ env, logger, database, workers: workerCount });
} else {
  await makeFirstAdminKey(env, database);
  if (workers > 1) {
    // Keys kept in DATA_DIR are made here, once, before any worker reads them (alone, the process
    // makes them as it starts serving).
    await loadErasureKey(env.ERASURE_HMAC_KEY, env.DATA_DIR).catch(() => undefined);
    await loadServerKey(env.WEBHOOK_SECRET_KEY, env.DATA_DIR, 'webhook-secret.key').catch(() => undefined);
  }
  const stopRetention = startRetention(
    { sequelize: database.sequelize },
    { auditDays: env.AUDIT_RETENTION_DAYS, rejectionDays: env.IMPORT_REJECTIONS_RETENTION_DAYS },
    logger,
  );
  if (workers > 1) runPrimary({ workers, database, logger, background: stopRetention });
  else await runApiProcess({ env, logger, database, workers: workerCount, background: stopRetention });
}

/** A newcomer's first start has no keys at all: make one admin key and show it, once. */
async function makeFirstAdminKey(env: Env, database: DatabaseHandle): Promise<void> {
  if (env.DATABASE_URL || (await countActiveApiKeys({ sequelize: database.sequelize })) > 0) return;
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
