import type { Logger } from 'pino';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from './sequelize.js';
import { parseLsn, WalHistory } from './wal-position.js';

/** How often each process asks the primary and every replica where their WAL stands. */
const POLL_MS = 100;
/** A replica that does not answer its position this fast is counted as down until it does. */
const POLL_TIMEOUT_MS = 1000;

interface Replica {
  /** host:port, never the credentials: for /health and logs. */
  name: string;
  sequelize: Sequelize;
  up: boolean;
  /** The WAL position it had replayed at the last poll: a floor, since replay only moves forward. */
  replayed: bigint;
  lagMs: number | null;
}

export interface ReplicaStatus {
  name: string;
  in_use: boolean;
  lag_ms: number | null;
}

export interface ReadReplicasOptions {
  primary: Sequelize;
  urls: string[];
  maxLagMs: number;
  logger?: Logger | undefined;
  pollMs?: number;
  /**
   * Whether change notices are arriving (the lookup cache's connection is live). While they are not,
   * a change would raise no fence, so every read goes to the primary.
   */
  noticesLive?: () => boolean;
}

/**
 * The replicas (DATABASE_READ_URLS) this process may read from, and which of them is right to use
 * now. Two rules decide:
 * - lag: a replica that is down, or behind the primary by more than REPLICA_MAX_LAG_MS, is skipped;
 * - the fence: after the primary notifies a change (the lookup cache's NOTIFY), no read goes to a
 *   replica until that replica has replayed the primary's WAL up to where it stood after the notice.
 *   Until that position is known, reads go to the primary. So an answer read after a notice — and
 *   cached — is never older than the change the notice announced.
 * With no replica fit, reads go to the primary.
 */
export class ReadReplicas {
  private readonly replicas: Replica[];
  private readonly history: WalHistory;
  /** The primary's position after the last notice: replicas must have replayed this far. */
  private fence = 0n;
  /** Notices whose fence is not known yet; while any are, reads go to the primary. */
  private pendingNotices = 0;
  private fencing = false;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly options: ReadReplicasOptions) {
    this.history = new WalHistory(Math.max(options.maxLagMs * 4, 10_000));
    this.replicas = options.urls.map((url) => ({
      name: replicaName(url),
      sequelize: createSequelize({ url }),
      up: false,
      replayed: 0n,
      lagMs: null,
    }));
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? POLL_MS).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((replica) => replica.sequelize.close()));
  }

  /** The handle a read should use now: a fit replica (in turn), or the primary. */
  pick(): Sequelize {
    if (this.pendingNotices > 0 || this.replicas.length === 0 || this.options.noticesLive?.() === false) return this.options.primary;
    for (let tried = 0; tried < this.replicas.length; tried += 1) {
      const replica = this.replicas[(this.next + tried) % this.replicas.length]!;
      if (this.isFit(replica)) {
        this.next = (this.next + tried + 1) % this.replicas.length;
        return replica.sequelize;
      }
    }
    return this.options.primary;
  }

  /**
   * The primary announced a committed change. Called in the same turn as the notice arrives (before
   * any read that the change could affect is routed): the fence is raised to the primary's current
   * WAL position, which is at or past that commit since the notice is sent after it.
   */
  noteChange(): void {
    this.pendingNotices += 1;
    void this.raiseFence();
  }

  /** A read on this replica failed: skip it until a poll finds it answering again. */
  markDown(sequelize: Sequelize): void {
    const replica = this.replicas.find((candidate) => candidate.sequelize === sequelize);
    if (replica?.up) {
      replica.up = false;
      this.options.logger?.warn({ replica: replica.name }, 'read replica failed a read; reading from the primary until it answers again');
    }
  }

  isReplica(sequelize: Sequelize): boolean {
    return this.replicas.some((replica) => replica.sequelize === sequelize);
  }

  status(): ReplicaStatus[] {
    const fenced = this.pendingNotices > 0 || this.options.noticesLive?.() === false;
    return this.replicas.map((replica) => ({ name: replica.name, in_use: !fenced && this.isFit(replica), lag_ms: replica.up ? replica.lagMs : null }));
  }

  private isFit(replica: Replica): boolean {
    return replica.up && replica.lagMs !== null && replica.lagMs <= this.options.maxLagMs && replica.replayed >= this.fence;
  }

  private async raiseFence(): Promise<void> {
    if (this.fencing) return;
    this.fencing = true;
    try {
      while (this.pendingNotices > 0) {
        // Notices that arrived before this question was sent are covered by its answer.
        const covered = this.pendingNotices;
        const lsn = await this.primaryPosition().catch(() => undefined);
        if (lsn === undefined) {
          // The primary did not answer: keep reading from it (it is where the failure will show) and retry.
          await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? POLL_MS));
          continue;
        }
        if (lsn > this.fence) this.fence = lsn;
        this.pendingNotices -= covered;
      }
    } finally {
      this.fencing = false;
    }
  }

  /**
   * Where the primary's WAL ends, including records not yet written out: with synchronous_commit off
   * (an import, the rate limit) a commit can sit in WAL buffers, past pg_current_wal_lsn().
   */
  private async primaryPosition(): Promise<bigint> {
    const [row] = await this.options.primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn', { type: QueryTypes.SELECT });
    return parseLsn(row!.lsn);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const primary = await this.primaryPosition().catch(() => undefined);
      if (primary !== undefined) this.history.record(primary, Date.now());
      await Promise.all(this.replicas.map((replica) => this.pollReplica(replica)));
    } finally {
      this.polling = false;
    }
  }

  private async pollReplica(replica: Replica): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const asked = replica.sequelize.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn', { type: QueryTypes.SELECT });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${POLL_TIMEOUT_MS} ms`)), POLL_TIMEOUT_MS);
      });
      const [row] = await Promise.race([asked, timeout]);
      // NULL: not a standby (a promoted replica, or a primary named by mistake); its data is no one's replica.
      if (!row?.lsn) throw new Error('not in recovery: pg_last_wal_replay_lsn() is NULL');
      replica.replayed = parseLsn(row.lsn);
      replica.lagMs = this.history.lagMs(replica.replayed, Date.now());
      if (!replica.up) this.options.logger?.info({ replica: replica.name }, 'read replica answering');
      replica.up = true;
    } catch (error) {
      if (replica.up) this.options.logger?.warn({ replica: replica.name, err: error }, 'read replica not answering; reading from the primary');
      replica.up = false;
      replica.lagMs = null;
    } finally {
      clearTimeout(timer);
    }
  }
}

function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}
