import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { ServiceContext } from '../../context.js';
import { borrowPgClient } from '../../db/pg-client.js';
import { ImportFileError } from './import-errors.js';
import { beginHoldingImportLock, commit, rollBack } from './import-lock.repository.js';

const RETRY_MS = 250;

const NOT_LOCKED = Symbol('not locked');

/**
 * Runs `work` on a pooled connection inside a transaction that holds the import lock; commits when
 * `work` returns, rolls back when it throws. While another import holds the lock, this one does not
 * wait on a connection (ten queued uploads would take the pool from lookups and /health): it tries,
 * gives the connection back, sleeps and tries again. The waiting import gives up when its upload is
 * gone (the client left). A revert takes the same lock.
 */
export async function inImportTransaction<T>(ctx: ServiceContext, input: Readable | undefined, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (;;) {
    const outcome = await borrowPgClient(ctx.sequelize, async (client) => {
      if (!(await beginHoldingImportLock(client))) return NOT_LOCKED;
      try {
        const result = await work(client);
        await commit(client);
        return { result };
      } catch (error) {
        // A connection that cannot even roll back is broken: closed, so the pool does not hand it out again.
        await rollBack(client).catch(() => client.end().catch(() => {}));
        throw error;
      }
    });
    if (outcome !== NOT_LOCKED) return outcome.result;
    if (input?.destroyed) throw new ImportFileError('UPLOAD_ABORTED', 'The upload was abandoned while it waited for another import to finish');
    await sleep(RETRY_MS + Math.floor(Math.random() * RETRY_MS));
  }
}
