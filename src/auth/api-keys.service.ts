import { recordAudit } from '../audit/audit.repository.js';
import { deleteSessionsOfKey } from './console-sessions.repository.js';
import type { ServiceContext } from '../context.js';
import { inTransaction, type Queryable } from '../db/query.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { apiKeyPrefix, generateApiKey, hashApiKey, sameHash } from './api-key-secret.js';
import type { ApiKey, CreateApiKeyInput } from './api-keys.schemas.js';
import { type StoredApiKey } from './api-key-cache.js';
import {
  countActiveApiKeys,
  findAllApiKeys,
  findStoredKey as readKeyRow,
  insertApiKey,
  lockActiveAdmins,
  revokeApiKeyRow,
  touchLastUsed,
  type ApiKeyRow,
} from './api-keys.repository.js';
import type { Actor } from './roles.js';

export { countActiveApiKeys };

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

/** Creates a key; the key itself is returned this once and only its hash is kept. */
export async function createApiKey(ctx: ServiceContext, input: CreateApiKeyInput): Promise<ApiKey & { key: string }> {
  const { key, prefix, hash } = generateApiKey();
  const created = await inTransaction(ctx, async (tx) => {
    const stored = toApiKey(await insertApiKey(tx, { name: input.name, role: input.role, prefix, keyHash: hash }));
    await recordAudit(tx, ctx.actor, { action: 'api_key.create', entityType: 'api_key', entityId: stored.id, newValue: { name: stored.name, role: stored.role, prefix } });
    return { ...stored, key };
  });
  // A made-up key with this prefix may have been remembered as unknown.
  ctx.apiKeyCache?.forget(prefix);
  return created;
}

export async function listApiKeys(ctx: ServiceContext): Promise<ApiKey[]> {
  return (await findAllApiKeys(ctx)).map(toApiKey);
}

/**
 * Revokes by id, by the visible prefix, or by the whole key; it is refused from the next request on.
 * Revoking the last active admin key would lock every admin out (only an admin makes keys through the
 * API), so it is refused.
 */
export async function revokeApiKey(ctx: ServiceContext, idPrefixOrKey: string | number): Promise<ApiKey> {
  const text = String(idPrefixOrKey);
  const prefix = apiKeyPrefix(text) ?? (/^wak_[0-9a-f]{8}$/.test(text) ? text : null);
  const id = /^\d+$/.test(text) ? Number(text) : null;
  const revoked = await inTransaction(ctx, async (tx) => {
    const activeAdmins = await lockActiveAdmins(tx);
    const row = await revokeApiKeyRow(tx, id, prefix);
    if (!row) throw new NotFoundError(`No API key ${text}`, { api_key: text });
    if (row.role === 'admin' && activeAdmins.every((adminId) => adminId === row.id)) {
      throw new ConflictError('This is the last admin key: create another admin key first, then revoke this one', { api_key_id: row.id });
    }
    // The key's console sessions end with it (they would be refused anyway: this frees their rows).
    await deleteSessionsOfKey(tx, row.id);
    await recordAudit(tx, ctx.actor, { action: 'api_key.revoke', entityType: 'api_key', entityId: row.id, newValue: { revoked_at: row.revoked_at } });
    return toApiKey(row);
  });
  // After the commit: forgotten earlier, a request in between could cache the row unrevoked again.
  ctx.apiKeyCache?.forget(revoked.prefix);
  return revoked;
}


/** Don't write last_used_at more often than this per key: a bot asks thousands of times a second. */
const LAST_USED_RESOLUTION_MS = 60_000;
const lastUsedWritten = new Map<number, number>();

/** The database, and the process's key cache when it has one (the API server does; tools do not). */
type AuthContext = Queryable & Pick<ServiceContext, 'apiKeyCache'>;

const refreshing = new Map<string, Promise<StoredApiKey | null>>();

function readStoredKey(ctx: AuthContext, prefix: string): Promise<StoredApiKey | null> {
  // Requests that arrive while the row is being read share that read.
  let read = refreshing.get(prefix);
  if (!read) {
    read = readKeyRow(ctx, prefix)
      .then((row) => {
        ctx.apiKeyCache?.set(prefix, row);
        return row;
      })
      .finally(() => refreshing.delete(prefix));
    refreshing.set(prefix, read);
  }
  return read;
}

/**
 * A key's row: from the cache while fresh (1 s); a little older, it is still used while one read
 * refreshes it in the background, so a busy bot never waits on that read (it put a query in the
 * path of one request a second, and of every request that arrived during it).
 */
async function findStoredKey(ctx: AuthContext, prefix: string): Promise<StoredApiKey | null> {
  const cache = ctx.apiKeyCache;
  const cached = cache?.get(prefix);
  if (cached !== undefined) return cached;
  const stale = cache?.getStale(prefix);
  if (stale) {
    readStoredKey(ctx, prefix).catch(() => {});
    return stale;
  }
  return readStoredKey(ctx, prefix);
}

/**
 * The key a cached row was last verified with: a bot sends the same key thousands of times a
 * second, and SHA-256 of it each time was ~2.5% of a lookup (profiled). Held per row object, so it
 * goes with the row when the cache refreshes it (every second) or forgets it (revocation).
 */
const verifiedKeys = new WeakMap<StoredApiKey, Buffer>();

function keyMatches(row: StoredApiKey, presented: string): boolean {
  const bytes = Buffer.from(presented);
  const verified = verifiedKeys.get(row);
  if (verified) return sameHash(verified, bytes);
  const matches = sameHash(row.key_hash, hashApiKey(presented));
  if (matches) verifiedKeys.set(row, bytes);
  return matches;
}

/** The actor a presented key stands for, or null for a malformed, unknown or revoked key. */
export async function authenticate(ctx: AuthContext, presented: string): Promise<Actor | null> {
  const prefix = apiKeyPrefix(presented);
  if (!prefix) return null;
  const row = await findStoredKey(ctx, prefix);
  // The hash is compared even when the row is revoked, so both refusals take the same time.
  const matches = row !== null && keyMatches(row, presented);
  if (!row || !matches || row.revoked_at) return null;
  const now = Date.now();
  if (now - (lastUsedWritten.get(row.id) ?? 0) > LAST_USED_RESOLUTION_MS) {
    lastUsedWritten.set(row.id, now);
    touchLastUsed(ctx, row.id).catch(() => lastUsedWritten.delete(row.id));
  }
  return actorOf(row);
}

/**
 * One actor object per key row (a row is replaced when the cache refreshes it, every second), not a
 * new one per request: the lookup fast path keeps a request context per actor (lookup-fast-path.ts).
 */
const actors = new WeakMap<StoredApiKey, Actor>();

function actorOf(row: StoredApiKey): Actor {
  let actor = actors.get(row);
  if (!actor) {
    actor = Object.freeze({ keyId: row.id, name: row.name, role: row.role });
    actors.set(row, actor);
  }
  return actor;
}
