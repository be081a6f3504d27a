import type { Role } from './roles.js';

/** What authenticating a key needs of its row; the hash is still compared on every request. */
export interface StoredApiKey {
  id: number;
  name: string;
  role: Role;
  key_hash: Buffer;
  revoked_at: Date | null;
}

/** How long another process's revocation may take to count here. */
export const API_KEY_CACHE_TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

/**
 * Key rows by prefix, for one second: a bot asking thousands of times a second would otherwise
 * cost a query per request. Unknown prefixes are remembered too (as null), so a flood of made-up
 * keys does not become a flood of queries. A revocation made in this process is forgotten at once.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { row: StoredApiKey | null; until: number }>();

  get(prefix: string, now = Date.now()): StoredApiKey | null | undefined {
    const entry = this.entries.get(prefix);
    if (!entry || entry.until <= now) return undefined;
    return entry.row;
  }

  set(prefix: string, row: StoredApiKey | null, now = Date.now()): void {
    // Expired entries are never read again; past the bound, starting over is cheaper than sweeping.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(prefix, { row, until: now + API_KEY_CACHE_TTL_MS });
  }

  forget(prefix: string): void {
    this.entries.delete(prefix);
  }
}
