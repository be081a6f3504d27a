/**
 * Coalesces concurrent lookups into few queries: numbers asked for while earlier queries are in
 * flight (or within the same turn of the event loop) wait and go together in one `= ANY($1)`
 * query. Under load — a bot fleet asking thousands of times a second — one round trip answers
 * dozens of requests; when idle, a lookup is sent at once (after the current turn), alone.
 */
interface Caller<Row> {
  resolve(row: Row | undefined): void;
  reject(error: unknown): void;
}

export class LookupBatcher<Row> {
  /** Number → whoever asked for it since the last query went out. */
  private waiting = new Map<string, Array<Caller<Row>>>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly query: (numbers: string[]) => Promise<Map<string, Row>>,
    /** Queries at once; more would only queue for the pool's connections. */
    private readonly maxInFlight = 4,
  ) {}

  find(number: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(number);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(number, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    // setImmediate, not a microtask: requests read in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.waiting.size === 0 || this.inFlight >= this.maxInFlight) return;
    const batch = this.waiting;
    this.waiting = new Map();
    this.inFlight += 1;
    try {
      const found = await this.query([...batch.keys()]);
      for (const [number, callers] of batch) for (const caller of callers) caller.resolve(found.get(number));
    } catch (error) {
      for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
    } finally {
      this.inFlight -= 1;
      if (this.waiting.size > 0) this.schedule();
    }
  }
}
