import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { ServiceContext } from '../../context.js';
import { borrowPgClient } from '../../db/pg-client.js';
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
      if (!(await tryImportLock(client))) return NOT_LOCKED;
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return { result };
      } catch (error) {
        // A connection that cannot even roll back is broken: closed, so the pool does not hand it out again.
        await client.query('ROLLBACK').catch(() => client.end().catch(() => {}));
        throw error;
      }
    });
    if (outcome !== NOT_LOCKED) return outcome.result;
    if (input?.destroyed) throw new ImportFileError('UPLOAD_ABORTED', 'The upload was abandoned while it waited for another import to finish');
    await sleep(RETRY_MS + Math.floor(Math.random() * RETRY_MS));
  }
}

/** Begins the transaction and takes the lock if it is free; otherwise leaves no transaction open. */
async function tryImportLock(client: pg.PoolClient): Promise<boolean> {
  try {
    await client.query('BEGIN');
    const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [IMPORT_LOCK_KEY]);
    if (result.rows[0]!.locked) {
      await client.query(IMPORT_TRANSACTION_LIMITS);
      return true;
    }
    await client.query('ROLLBACK');
    return false;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
