import type { Logger } from 'pino';
import type { Queryable } from '../db/query.js';
import { purgeBatch } from './retention.repository.js';

export interface RetentionSettings {
  /** AUDIT_RETENTION_DAYS: audit entries (history, bulk reads, key changes) older than this go. */
  auditDays: number;
  /** IMPORT_REJECTIONS_RETENTION_DAYS: the rejected rows (raw cells) of imports that finished longer ago go. */
  rejectionDays: number;
}

const BATCH = 5000;
/** How often the server looks for expired rows. */
const EVERY_MS = 60 * 60 * 1000;

/** Purges every expired row, batch by batch; stops at once when another process holds the purge. */
export async function purgeExpired(db: Queryable, settings: RetentionSettings, batch = BATCH): Promise<{ audit_entries: number; rejections: number }> {
  const purged = { audit_entries: 0, rejections: 0 };
  for (const [kind, days, field] of [
    ['audit', settings.auditDays, 'audit_entries'],
    ['rejections', settings.rejectionDays, 'rejections'],
  ] as const) {
    for (;;) {
      const deleted = await purgeBatch(db, kind, days, batch);
      if (deleted === null) return purged;
      purged[field] += deleted;
      if (deleted < batch) break;
    }
  }
  return purged;
}

/** The server's background purge: a minute after start, then hourly; returns the stop function. */
export function startRetention(db: Queryable, settings: RetentionSettings, logger: Logger): () => void {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= purgeExpired(db, settings)
      .then((purged) => {
        if (purged.audit_entries + purged.rejections > 0) logger.info(purged, 'retention: expired rows purged');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'retention: purge failed; trying again next hour'))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, 60_000);
  const every = setInterval(run, EVERY_MS);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
