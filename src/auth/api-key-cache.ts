import type { Role } from './roles.js';

/** What authenticating a key needs of its row; the hash is still compared on every request. */
export interface StoredApiKey {
  id: number;
  name: string;
  role: Role;
  key_hash: Buffer;
  revoked_at: Date | null;
}

/** How long another process's revocation may take to count here (plus one read of the row). */
export const API_KEY_CACHE_TTL_MS = 1000;
/** A real key's row this old is still used while it is read again; older than this, it is waited for. */
const STALE_FOR_MS = 10_000;
/** Real keys: a company has tens or hundreds, so this bound is never met in practice. */
const MAX_KNOWN_ENTRIES = 10_000;
const MAX_UNKNOWN_ENTRIES = 10_000;

/**
 * Key rows by prefix, for one second: a bot asking thousands of times a second would otherwise
 * cost a query per request. Unknown prefixes are remembered too (as null), so a flood of made-up
 * keys does not become a flood of queries; they are kept apart from real keys, so such a flood can
 * only ever push out other made-up prefixes, never a real key. A revocation made in this process is
 * forgotten at once.
 */
export class ApiKeyCache {
  private readonly known = new Map<string, { row: StoredApiKey; until: number }>();
  private readonly unknown = new Map<string, number>();

  get(prefix: string, now = Date.now()): StoredApiKey | null | undefined {
    const entry = this.known.get(prefix);
    if (entry && entry.until > now) return entry.row;
    const until = this.unknown.get(prefix);
    return until !== undefined && until > now ? null : undefined;
  }

  /** A real key's row past its second but still usable while it is read again, if there is one. */
  getStale(prefix: string, now = Date.now()): StoredApiKey | undefined {
    const entry = this.known.get(prefix);
    return entry && entry.until + STALE_FOR_MS > now ? entry.row : undefined;
  }

  set(prefix: string, row: StoredApiKey | null, now = Date.now()): void {
    // Past the bound, starting over is cheaper than sweeping (expired entries are simply replaced).
    if (row === null) {
      this.known.delete(prefix);
      if (this.unknown.size >= MAX_UNKNOWN_ENTRIES) this.unknown.clear();
      this.unknown.set(prefix, now + API_KEY_CACHE_TTL_MS);
      return;
    }
    this.unknown.delete(prefix);
    if (this.known.size >= MAX_KNOWN_ENTRIES) this.known.clear();
    this.known.set(prefix, { row, until: now + API_KEY_CACHE_TTL_MS });
  }

  forget(prefix: string): void {
    this.known.delete(prefix);
    this.unknown.delete(prefix);
  }
}
