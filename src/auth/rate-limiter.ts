import type { Queryable } from '../db/query.js';
import { leaseTokens, purgeOldWindows, type Lease } from './rate-limit.repository.js';

/** Tokens a process takes at once: few enough that idle ones waste little of a key's minute. */
function blockSize(perMinute: number): number {
  return Math.max(1, Math.min(500, Math.floor(perMinute / 64)));
}

const PURGE_EVERY_MS = 10 * 60_000;

interface KeyWindow {
  /** Local time at which the minute the tokens belong to ends. */
  endsAt: number;
  tokens: number;
  /** Requests this process admitted in the minute. */
  admitted: number;
  /** The minute's tokens are all taken (by this or other processes). */
  spent: boolean;
  /** The database could not be asked: this process counts the minute alone. */
  alone: boolean;
  /** A lease on its way: requests that find no tokens wait for it. */
  leasing?: Promise<void>;
}

/**
 * A fixed one-minute window per key, shared by every API process on the database: the minutes are
 * the database's, and each process takes the key's tokens from `rate_limit_windows` in blocks of up
 * to 500 (1/64 of the limit), asking for the next block when a quarter of this one is left. So the
 * limit holds across processes (never more than RATE_LIMIT_PER_MINUTE a minute; at most a block per
 * process goes unused), a request almost never waits on the database, and the table is written a
 * few times a minute per key. If the database cannot be asked, this process counts alone for that
 * minute (the limit per process, as before sharing), rather than refusing every request.
 */
export class RateLimiter {
  private readonly windows = new Map<number, KeyWindow>();
  private readonly block: number;
  private lastPurge = Date.now();

  constructor(
    private readonly db: Queryable,
    private readonly perMinute: number,
  ) {
    this.block = blockSize(perMinute);
  }

  /**
   * Counts one request: 0 when allowed, else the seconds until the key may ask again. Synchronous
   * while the process holds tokens (nearly always); a promise when it must ask the database.
   */
  take(keyId: number, now = Date.now()): number | Promise<number> {
    if (this.perMinute <= 0) return 0;
    let window = this.windows.get(keyId);
    if (!window || now >= window.endsAt) {
      window = { endsAt: now + 60_000, tokens: 0, admitted: 0, spent: false, alone: false };
      this.windows.set(keyId, window);
    }
    if (window.tokens > 0) {
      window.tokens -= 1;
      window.admitted += 1;
      // The next block is asked for ahead, so requests do not wait for it (not worth it for tiny limits).
      if (this.block >= 8 && window.tokens < this.block / 4 && !window.spent && !window.alone) void this.lease(keyId, window);
      return 0;
    }
    if (window.spent || window.alone) return this.retryAfter(window, now);
    return this.lease(keyId, window).then(() => this.take(keyId));
  }

  private retryAfter(window: KeyWindow, now: number): number {
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  }

  private lease(keyId: number, window: KeyWindow): Promise<void> {
    window.leasing ??= leaseTokens(this.db, keyId, this.block, this.perMinute).then(
      (lease: Lease) => {
        window.leasing = undefined;
        // The database's minute, not this process's: every process agrees where it ends.
        window.endsAt = Date.now() + lease.msLeft;
        if (lease.granted === 0) window.spent = true;
        window.tokens += lease.granted;
        this.purgeNowAndThen();
      },
      () => {
        // The rest of this minute is counted here alone: what this process has not yet admitted.
        window.leasing = undefined;
        window.alone = true;
        window.tokens = Math.max(0, this.perMinute - window.admitted);
      },
    );
    return window.leasing;
  }

  private purgeNowAndThen(): void {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    purgeOldWindows(this.db).catch(() => {});
    for (const [keyId, window] of this.windows) if (Date.now() >= window.endsAt) this.windows.delete(keyId);
  }
}
