import { execute, mutateRows, type Queryable } from '../db/query.js';

export interface Lease {
  /** Tokens granted now (0: the key has used its minute). */
  granted: number;
  /** Milliseconds until this minute ends, by the database's clock. */
  msLeft: number;
}

/**
 * Takes up to `wanted` of the key's tokens for the current minute, never past `limit`, in one
 * statement (SET sees the row as it was, so both columns are computed from the same count).
 */
export async function leaseTokens(db: Queryable, keyId: number, wanted: number, limit: number): Promise<Lease> {
  const [row] = await mutateRows<{ granted: number; ms_left: number }>(
    db,
    `INSERT INTO rate_limit_windows AS w (key_id, window_start, used, last_grant)
     VALUES ($1::int, date_trunc('minute', now()), LEAST($2::int, $3::int), LEAST($2::int, $3::int))
     ON CONFLICT (key_id, window_start) DO UPDATE
       SET last_grant = LEAST($2::int, GREATEST($3::int - w.used, 0)),
           used = w.used + LEAST($2::int, GREATEST($3::int - w.used, 0))
     RETURNING last_grant AS granted,
               ceil(extract(epoch FROM (window_start + interval '1 minute' - now())) * 1000)::int AS ms_left`,
    [keyId, wanted, limit],
  );
  return { granted: row!.granted, msLeft: Math.max(1, row!.ms_left) };
}

/** Minutes long gone; a few rows per key per minute otherwise pile up. */
export async function purgeOldWindows(db: Queryable): Promise<number> {
  return execute(db, "DELETE FROM rate_limit_windows WHERE window_start < now() - interval '10 minutes'");
}
