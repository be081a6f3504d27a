/**
 * A fixed one-minute window per key, in this process. Answers how long to wait when the key has
 * used its minute. Several API processes each count on their own, so the real limit is the
 * per-process limit times the number of processes.
 */
export class RateLimiter {
  private readonly windows = new Map<number, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one request; returns 0 when allowed, else the seconds until the key may ask again. */
  take(keyId: number, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    let window = this.windows.get(keyId);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.windows.set(keyId, window);
    }
    window.count += 1;
    if (window.count <= this.perMinute) return 0;
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }
}
