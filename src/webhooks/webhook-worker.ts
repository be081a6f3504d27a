import type { Logger } from 'pino';
import type { Queryable } from '../db/query.js';
import { attemptDueDeliveries } from './webhook-delivery.js';
import { purgeDeliveryLog } from './webhooks.repository.js';
import type { WebhookSettings } from './webhook-settings.js';

export interface WebhookWorkerOptions extends WebhookSettings {
  /** How often to look for due deliveries when the last look found few (WEBHOOK_POLL_MS). */
  pollMs: number;
  /** Delivered and failed deliveries older than this many days leave the log (WEBHOOK_LOG_RETENTION_DAYS). */
  logRetentionDays: number;
  /** Deliveries attempted at once. */
  batch?: number;
}

const DEFAULT_BATCH = 20;
const ERROR_LOG_EVERY_MS = 60_000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
const PURGE_BATCH = 5000;
const STOP_WAIT_MS = 2000;

/**
 * The server's background sender: looks for due deliveries every `pollMs`, and at once again when it
 * found a full batch. Every process runs one; SKIP LOCKED shares the rows. Returns the stop function,
 * which waits for the attempts in flight, but not for a slow receiver: past STOP_WAIT_MS the process
 * may close its connections, and those rows stay pending for the next process (sent again, not lost).
 */
export function startWebhookWorker(db: Queryable, options: WebhookWorkerOptions, logger: Logger): () => Promise<void> {
  const batch = options.batch ?? DEFAULT_BATCH;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let lastErrorLoggedAt = 0;
  let lastPurgeAt = Date.now();

  const purgeOldLog = async () => {
    lastPurgeAt = Date.now();
    let purged = 0;
    for (let deleted = PURGE_BATCH; deleted === PURGE_BATCH && !stopped; purged += deleted) {
      deleted = await purgeDeliveryLog(db, options.logRetentionDays, PURGE_BATCH);
    }
    if (purged > 0) logger.info({ purged }, 'webhooks: old deliveries purged from the log');
  };

  const loop = async () => {
    while (!stopped) {
      let found = 0;
      try {
        found = await attemptDueDeliveries(db, options, logger, batch);
        if (Date.now() - lastPurgeAt > PURGE_EVERY_MS) await purgeOldLog();
      } catch (error) {
        // While the database is down this fails every poll: once a minute in the log is enough.
        if (Date.now() - lastErrorLoggedAt > ERROR_LOG_EVERY_MS) {
          lastErrorLoggedAt = Date.now();
          logger.warn({ err: error }, 'webhooks: could not read the outbox; trying again');
        }
      }
      if (found === batch || stopped) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, options.pollMs);
      });
    }
  };
  const running = loop();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    wake?.();
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (bound = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(bound);
  };
}
