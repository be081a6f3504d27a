import { describe, expect, it } from 'vitest';
import { parseLsn, WalHistory } from '../../src/db/wal-position.js';

describe('WAL positions and a replica\'s lag', () => {
  it('when positions are compared, then the high part counts before the low part', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(() => parseLsn('nonsense')).toThrow();
  });

  it('when a replica has replayed everything the primary wrote, then its lag is 0, however long ago that was', () => {
    const history = new WalHistory(10_000);
    history.record(100n, 1000);
    expect(history.lagMs(100n, 60_000)).toBe(0);
  });

  it('when a replica stops replaying, then its lag is the age of the oldest position it lacks, and grows with the clock', () => {
    const history = new WalHistory(10_000);
    history.record(100n, 1000);
    history.record(200n, 1100);
    history.record(200n, 1200);
    history.record(300n, 1300);
    expect(history.lagMs(150n, 1400)).toBe(300);
    expect(history.lagMs(150n, 3400)).toBe(2300);
    expect(history.lagMs(250n, 3400)).toBe(2100);
  });

  it('when samples age past what is kept, then a replica behind all of them is still reported at least that far behind', () => {
    const history = new WalHistory(1000);
    for (let at = 0; at <= 5000; at += 100) history.record(BigInt(at + 1), at);
    expect(history.lagMs(0n, 5000)).toBeGreaterThanOrEqual(1000);
  });
});
