import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.js';
import type { WorkerCountMessage } from './worker-count.js';

export interface PrimaryOptions {
  workers: number;
  database: DatabaseHandle;
  logger: Logger;
  /** Work the primary does alongside its workers (retention); stopped before the database closes. */
  background: () => void;
}

/** How long workers may take to finish the requests they have after SIGTERM. */
const DRAIN_TIMEOUT_MS = 30_000;
/** A worker that dies sooner than this after starting is restarted after a pause, not at once. */
const CRASH_LOOP_MS = 5_000;

/**
 * The primary of `WEB_CONCURRENCY` API workers sharing one port (node:cluster hands connections
 * round-robin). It owns what must exist once: the database (the embedded PostgreSQL is started and
 * migrated here, before any worker), the first admin key, retention. Each worker is an ordinary API
 * process with its own lookup cache, kept right by the same NOTIFY path as separate machines are. A
 * worker that dies is replaced; SIGTERM or SIGINT drains every worker, then closes the database.
 */
export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  let stopping = false;
  const started = new Map<number, number>();

  const broadcast = () => {
    const up = Object.values(cluster.workers ?? {}).filter((worker) => worker && worker.isConnected() && !worker.isDead()).length;
    const message: WorkerCountMessage = { type: 'wa:workers', count: { up, configured: options.workers } };
    for (const worker of Object.values(cluster.workers ?? {})) if (worker?.isConnected()) worker.send(message);
  };

  const fork = () => {
    // The workers use the database the primary opened (the embedded one's URL included), already migrated.
    const worker = cluster.fork({ DATABASE_URL: options.database.url, MIGRATE_ON_START: 'false', WA_CLUSTER_WORKER: '1' });
    started.set(worker.id, Date.now());
    worker.on('listening', broadcast);
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    broadcast();
    if (stopping) return;
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    logger.error({ worker: worker.id, code, signal, lived_ms: lived }, 'an API worker stopped; starting another');
    setTimeout(fork, lived < CRASH_LOOP_MS ? 1000 : 0).unref();
  });

  for (let i = 0; i < options.workers; i += 1) fork();
  logger.info({ workers: options.workers }, 'started API workers');

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining the workers');
    options.background();
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => Boolean(worker));
    const exited = workers.map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))));
    for (const worker of workers) worker.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      logger.warn('workers did not finish in time; stopping them');
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, DRAIN_TIMEOUT_MS);
    await Promise.all(exited);
    clearTimeout(timer);
    await options.database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
