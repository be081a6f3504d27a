import { execute, queryOne, type Queryable } from '../db/query.js';
import type { Role } from './roles.js';

export interface SessionKey {
  key_id: number;
  name: string;
  role: Role;
  /** Seconds since the session was last used. */
  idle_s: number;
}

export async function insertSession(db: Queryable, idHash: Buffer, apiKeyId: number): Promise<void> {
  await execute(db, 'INSERT INTO console_sessions (id_hash, api_key_id) VALUES ($1, $2)', [idHash, apiKeyId]);
}

/**
 * The live session's key: none when the session is unknown, idle too long, past its absolute
 * lifetime, or its key is revoked. Marks it used (at most once a minute, to spare writes).
 */
export async function findLiveSession(db: Queryable, idHash: Buffer, idleSeconds: number, absoluteSeconds: number): Promise<SessionKey | null> {
  const found = await queryOne<SessionKey>(
    db,
    `SELECT k.id AS key_id, k.name, k.role, extract(epoch FROM now() - s.last_seen_at)::int AS idle_s
     FROM console_sessions s JOIN api_keys k ON k.id = s.api_key_id
     WHERE s.id_hash = $1 AND k.revoked_at IS NULL
       AND s.last_seen_at > now() - make_interval(secs => $2) AND s.created_at > now() - make_interval(secs => $3)`,
    [idHash, idleSeconds, absoluteSeconds],
  );
  if (found && found.idle_s >= 60) await execute(db, 'UPDATE console_sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
  return found;
}

export async function deleteSession(db: Queryable, idHash: Buffer): Promise<void> {
  await execute(db, 'DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
}

export async function deleteSessionsOfKey(db: Queryable, apiKeyId: number): Promise<void> {
  await execute(db, 'DELETE FROM console_sessions WHERE api_key_id = $1', [apiKeyId]);
}
