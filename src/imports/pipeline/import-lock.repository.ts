import type pg from 'pg';

/** Imports run one at a time; a second one waits for the first (their counts stay exact). */
const IMPORT_LOCK_KEY = 720_451_002;

/**
 * Limits of an import's own transaction: far longer than the API's pooled ones (a chunk of 25,000
 * rows is one statement), but not endless. Idle in transaction covers the upload pausing between
 * chunks; a stalled upload is cut off well before it (IMPORT_STALL_TIMEOUT_MS).
 */
const IMPORT_TRANSACTION_LIMITS = "SET LOCAL statement_timeout = '30min'; SET LOCAL lock_timeout = '60s'; SET LOCAL idle_in_transaction_session_timeout = '10min'";

/** Begins the transaction and takes the lock if it is free; otherwise leaves no transaction open. */
export async function beginHoldingImportLock(client: pg.PoolClient): Promise<boolean> {
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

export async function commit(client: pg.PoolClient): Promise<void> {
  await client.query('COMMIT');
}

export async function rollBack(client: pg.PoolClient): Promise<void> {
  await client.query('ROLLBACK');
}
