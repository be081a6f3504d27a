import pg from 'pg';
import type { Logger } from 'pino';
import { BoundedLru } from './bounded-lru.js';

export interface CachedFiling {
  id: number;
  category_id: number;
  category_name: string;
  /** The contact's name, for a bot's greeting. */
  name: string | null;
}

export const LISTENER_APPLICATION_NAME = 'wa-contact-categories lookup cache';
const RECONNECT_DELAY_MS = 1000;
/**
 * A connection can die silently (a dropped route, a frozen server): no error, no notices, and the
 * cache would go on answering. So it is asked a question this often, and lost if it takes longer
 * than HEARTBEAT_TIMEOUT_MS: a silent failure is noticed within about a second and a half.
 */
const HEARTBEAT_INTERVAL_MS = 500;
const HEARTBEAT_TIMEOUT_MS = 1000;

/**
 * Normalized number → its filing (or "not filed"), in this process, never wrong for long: every
 * committed change anywhere (another process, the importer) arrives as a NOTIFY and drops the entries
 * it names, or all of them. While the notification connection is down the cache is emptied and
 * bypassed, so a lost notice can never leave a stale answer. Bounded: least recently used first out.
 */
export class LookupCache {
  private readonly entries: BoundedLru<string, CachedFiling | null>;
  /**
   * LID/BSUID → its normalized number (null: no number known). Kept apart from the filings so that a
   * number's change (which names only the number) is seen by every id that points at it.
   */
  private readonly identities: BoundedLru<string, string | null>;
  private client: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** A heartbeat query is out; the next one waits for it. */
  private beating = false;
  /** Bumped by every notice: an answer read from the database before a notice is not cached after it. */
  private generation = 0;

  constructor(
    private readonly options: {
      databaseUrl: string;
      maxEntries: number;
      logger?: Logger;
      /** Told of every notice (and of a reconnect, after which any change may have been missed), in the turn it arrives: read replicas fence on it. */
      onChange?: () => void;
    },
  ) {
    this.entries = new BoundedLru(options.maxEntries);
    this.identities = new BoundedLru(options.maxEntries);
  }

  /** True while notices are flowing; when false every lookup goes to the database. */
  get live(): boolean {
    return this.listening;
  }

  get size(): number {
    return this.entries.size;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    clearInterval(this.heartbeat);
    await this.client?.end().catch(() => {});
  }

  /** The cached answer: a filing, null for "not filed", undefined when not cached (or bypassed). */
  get(normalized: string): CachedFiling | null | undefined {
    if (!this.listening) return undefined;
    return this.entries.get(normalized);
  }

  /** A token to pass to set(): taken before reading the database. */
  snapshot(): number {
    return this.generation;
  }

  set(normalized: string, filing: CachedFiling | null, snapshot: number): void {
    if (!this.listening || snapshot !== this.generation) return;
    this.entries.set(normalized, filing);
  }

  /** The cached number of a LID or BSUID: a number, null for "unknown id", undefined when not cached. */
  getIdentity(id: string): string | null | undefined {
    if (!this.listening) return undefined;
    return this.identities.get(id);
  }

  setIdentity(id: string, normalized: string | null, snapshot: number): void {
    if (!this.listening || snapshot !== this.generation) return;
    this.identities.set(id, normalized);
  }

  private clear(): void {
    this.entries.clear();
    this.identities.clear();
  }

  /** A notice names numbers and ids alike (they never look alike: `+…` vs `…@lid` / `XX.…`). */
  private invalidate(payload: string | undefined): void {
    this.generation += 1;
    this.options.onChange?.();
    if (!payload || payload === '*') {
      this.clear();
      return;
    }
    try {
      for (const key of JSON.parse(payload) as string[]) {
        this.entries.delete(key);
        this.identities.delete(key);
      }
    } catch {
      this.clear();
    }
  }

  /** The notification connection is gone: empty, bypass, and reconnect (once per lost connection). */
  private lost(client: pg.Client, reason: unknown): void {
    if (this.client !== client) return;
    this.options.logger?.warn({ err: reason }, 'lookup cache: notifications lost; bypassing the cache until they are back');
    this.client = undefined;
    this.listening = false;
    clearInterval(this.heartbeat);
    this.generation += 1;
    this.clear();
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.closed) setTimeout(() => void this.connect(), RECONNECT_DELAY_MS).unref();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // Named, so an operator (or a test) can find it in pg_stat_activity.
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: LISTENER_APPLICATION_NAME });
    client.on('notification', (message) => this.invalidate(message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('notification connection ended')));
    try {
      await client.connect();
      await client.query('LISTEN lookup_changes');
    } catch {
      await client.end().catch(() => {});
      this.scheduleReconnect();
      return;
    }
    this.client = client;
    // Whatever changed while nobody listened is unknown: start empty.
    this.generation += 1;
    this.clear();
    this.options.onChange?.();
    this.listening = true;
    this.heartbeat = setInterval(() => void this.beat(client), HEARTBEAT_INTERVAL_MS).unref();
  }

  private async beat(client: pg.Client): Promise<void> {
    if (this.beating || this.client !== client) return;
    this.beating = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${HEARTBEAT_TIMEOUT_MS} ms`)), HEARTBEAT_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
      this.beating = false;
    }
  }
}
