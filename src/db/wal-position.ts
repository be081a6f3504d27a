/**
 * PostgreSQL's WAL positions (`16/B374D848`) as bigints, so they compare: a replica that has replayed
 * position X holds every transaction that committed at or before X on the primary.
 */
export function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  if (high === undefined || low === undefined) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/**
 * Primary WAL positions sampled over time, to say how far behind a replica is in milliseconds: the
 * age of the oldest position the primary had written that the replica has not replayed yet (0 when
 * it has replayed everything seen). A paused or cut-off replica's lag grows with the clock, unlike
 * pg_stat_replication's replay_lag, which stops moving when replay stops.
 */
export class WalHistory {
  private samples: Array<{ at: number; lsn: bigint }> = [];

  constructor(private readonly keepMs: number) {}

  get latest(): bigint | undefined {
    return this.samples[this.samples.length - 1]?.lsn;
  }

  record(lsn: bigint, at: number): void {
    const last = this.samples[this.samples.length - 1];
    // Only the first time a position is seen matters: it is when the replica's debt began.
    if (!last || lsn > last.lsn) this.samples.push({ at, lsn });
    const horizon = at - this.keepMs;
    // Keep one sample older than the horizon: lag beyond it is reported as at least that old.
    while (this.samples.length > 1 && this.samples[1]!.at < horizon) this.samples.shift();
  }

  lagMs(replayed: bigint, now: number): number {
    const firstUnreplayed = this.samples.find((sample) => sample.lsn > replayed);
    return firstUnreplayed ? Math.max(0, now - firstUnreplayed.at) : 0;
  }
}
