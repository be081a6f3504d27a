/**
 * Failed key checks per client address, in a fixed one-minute window. A made-up but well-formed key
 * costs a query (its prefix is unknown); once an address has failed this often in its minute, its
 * requests are refused before any key is looked up, unless they carry a key this process already
 * knows to be real. Bots that send their one valid key never fail, so they never count.
 */
export class AddressLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  private static readonly MAX_ADDRESSES = 100_000;

  constructor(private readonly failuresPerMinute: number) {}

  /** Seconds until the address may try unknown keys again; 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    if (this.failuresPerMinute <= 0) return 0;
    const window = this.windows.get(address);
    if (!window || now - window.start >= 60_000 || window.failures < this.failuresPerMinute) return 0;
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }

  fail(address: string, now = Date.now()): void {
    if (this.failuresPerMinute <= 0) return;
    let window = this.windows.get(address);
    if (!window || now - window.start >= 60_000) {
      // Past the bound the map starts over: a flood from many addresses cannot grow it without end.
      if (this.windows.size >= AddressLimiter.MAX_ADDRESSES) this.windows.clear();
      window = { start: now, failures: 0 };
      this.windows.set(address, window);
    }
    window.failures += 1;
  }
}
