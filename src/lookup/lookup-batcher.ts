/**
 * Coalesces concurrent lookups into few queries: numbers asked for while earlier queries are in
 * flight (or within the same turn of the event loop) wait and go together in one `= ANY($1)`
 * query. Under load — a bot fleet asking thousands of times a second — one round trip answers
 * dozens of requests; when idle, a lookup is sent at once (after the current turn), alone.
 */
export class LookupBatcher<Row> {
  private waiting = new Map<string, Array<(row: Row | undefined) => void>>();
  private failing: Array<(error: unknown) => void> = [];
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
      if (callers) callers.push(resolve);
      else this.waiting.set(number, [resolve]);
      this.failing.push(reject);
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
    const failing = this.failing;
    this.waiting = new Map();
    this.failing = [];
    this.inFlight += 1;
    try {
      const found = await this.query([...batch.keys()]);
      for (const [number, callers] of batch) for (const resolve of callers) resolve(found.get(number));
    } catch (error) {
      for (const reject of failing) reject(error);
    } finally {
      this.inFlight -= 1;
      if (this.waiting.size > 0) this.schedule();
    }
  }
}
