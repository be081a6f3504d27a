/**
 * A hand-off between one producer and one consumer that holds at most `capacity` items, so a fast
 * reader waits for a slower database instead of filling memory. Either side can close it with an
 * error, which the other side then sees.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  private failure: unknown;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) await this.wait();
    if (this.failure !== undefined) throw this.failure;
    this.items.push(item);
    this.wake();
  }

  /** The next item, or undefined once the queue is closed and drained. */
  async shift(): Promise<T | undefined> {
    while (this.items.length === 0 && !this.closed) await this.wait();
    if (this.failure !== undefined) throw this.failure;
    const item = this.items.shift();
    this.wake();
    return item;
  }

  close(failure?: unknown): void {
    this.closed = true;
    if (failure !== undefined && this.failure === undefined) this.failure = failure;
    this.wake();
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
