import { execute, queryRows, type Queryable } from '../db/query.js';
import type { WebhookSettings } from './webhook-settings.js';

export interface DueDelivery {
  id: number;
  webhook_id: number;
  event_id: string;
  payload: object;
  url: string;
  secret_ciphertext: Buffer;
}

/**
 * Due deliveries, oldest first, locked for this transaction; the workers skip others' locked rows
 * (claimDueDeliveries), so several processes share the work. A delivery waits while an older one of
 * the same endpoint and ordering key is still pending (sending, or backing off after a failure): a
 * number's events arrive in the order they happened. A locked older row still counts as pending to the other processes.
 */
const CLAIM_DUE_SQL = `SELECT d.id, d.webhook_id, d.event_id, d.payload, w.url, w.secret_ciphertext
  FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
  WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND ($2::bigint IS NULL OR d.id = $2)
    AND NOT EXISTS (
      SELECT 1 FROM webhook_deliveries older
      WHERE older.webhook_id = d.webhook_id AND older.ordering_key = d.ordering_key AND older.status = 'pending' AND older.id < d.id
    )
  ORDER BY d.id
  LIMIT $1
  FOR UPDATE OF d`;
const SKIP_LOCKED = ' SKIP LOCKED';

/**
 * Backoff: retryBaseMs × 2^(attempts so far), at most 6 hours; given up after maxAttempts. Counted from
 * the answer (clock_timestamp), not from the claim (now() is the transaction's start, before the send).
 */
const RECORD_ATTEMPT_SQL = `UPDATE webhook_deliveries SET
    attempts = attempts + 1,
    last_attempt_at = clock_timestamp(),
    last_status_code = $2,
    last_error = $3,
    status = CASE WHEN $4 THEN 'delivered' WHEN attempts + 1 >= $5 THEN 'failed' ELSE 'pending' END,
    delivered_at = CASE WHEN $4 THEN clock_timestamp() END,
    next_attempt_at = CASE WHEN $4 THEN next_attempt_at
                      ELSE clock_timestamp() + make_interval(secs => least($6::float8 / 1000 * power(2, attempts), 21600)) END
  WHERE id = $1`;

/**
 * Due deliveries to send now. The workers skip rows another process has locked; a claim of one
 * delivery (an admin's test event, answered with how it went) waits for such a lock instead: a worker
 * polling at that moment may have taken the row, and when its send commits the row is no longer
 * pending, so this claim finds nothing and the caller reads the worker's outcome.
 */
export function claimDueDeliveries(tx: Queryable, limit: number, onlyId: number | null): Promise<DueDelivery[]> {
  return queryRows<DueDelivery>(tx, onlyId === null ? CLAIM_DUE_SQL + SKIP_LOCKED : CLAIM_DUE_SQL, [limit, onlyId]);
}

export async function recordAttempt(
  tx: Queryable,
  id: number,
  outcome: { statusCode: number | null; error: string | null; delivered: boolean },
  settings: Pick<WebhookSettings, 'maxAttempts' | 'retryBaseMs'>,
): Promise<void> {
  await execute(tx, RECORD_ATTEMPT_SQL, [id, outcome.statusCode, outcome.error, outcome.delivered, settings.maxAttempts, settings.retryBaseMs]);
}

/** The transaction sits idle while receivers answer; the pool's 60 s idle limit must not cut it. */
export async function allowIdleWhileSending(tx: Queryable, ms: number): Promise<void> {
  await execute(tx, `SET LOCAL idle_in_transaction_session_timeout = ${ms}`);
}
