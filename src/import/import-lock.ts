import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { ServiceContext } from '../context.js';
import { ImportFileError } from './import-errors.js';

/** Imports run one at a time; a second one waits for the first (their counts stay exact). */
const IMPORT_LOCK_KEY = 720_451_002;
const RETRY_MS = 250;

/**
 * Limits of an import's own transaction: far longer than the API's pooled ones (a chunk of 25,000
 * rows is one statement), but not endless. Idle in transaction covers the upload pausing between
 * chunks; a stalled upload is cut off well before it (IMPORT_STALL_TIMEOUT_MS).
 */
const IMPORT_TRANSACTION_LIMITS = "SET LOCAL statement_timeout = '30min'; SET LOCAL lock_timeout = '60s'; SET LOCAL idle_in_transaction_session_timeout = '10min'";

/**
 * A pooled connection inside a transaction that holds the import lock. While another import holds
 * it, this one does not wait on a connection (ten queued uploads would take the pool from lookups
 * and /health): it tries, gives the connection back, sleeps and tries again. The waiting import
 * gives up when its upload is gone (the client left). A revert takes the same lock.
 */
export async function takeImportLock(ctx: ServiceContext, input?: Readable): Promise<pg.PoolClient> {
  for (;;) {
    const client = (await ctx.sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as pg.PoolClient;
    let locked = false;
    try {
      await client.query('BEGIN');
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [IMPORT_LOCK_KEY]);
      if (result.rows[0]!.locked) {
        await client.query(IMPORT_TRANSACTION_LIMITS);
        locked = true;
        return client;
      }
      await client.query('ROLLBACK');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      if (!locked) ctx.sequelize.connectionManager.releaseConnection(client as never);
    }
    if (input?.destroyed) throw new ImportFileError('UPLOAD_ABORTED', 'The upload was abandoned while it waited for another import to finish');
    await sleep(RETRY_MS + Math.floor(Math.random() * RETRY_MS));
  }
}
