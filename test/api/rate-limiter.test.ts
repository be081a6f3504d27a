import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/auth/rate-limiter.js';
import { leaseTokens } from '../../src/auth/rate-limit.repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { withMinuteLeft } from '../helpers/minute-start.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const takeAll = async (limiter: RateLimiter, keyId: number, times: number) => {
  const waits: number[] = [];
  for (let i = 0; i < times; i += 1) waits.push(await limiter.take(keyId));
  return waits;
};

describe('RateLimiter shared through the database', () => {
  it('when a lease is asked for, then it grants up to what is left of the minute and says when the minute ends', async () => {
    await withMinuteLeft(db.sequelize);
    const first = await leaseTokens(db, 9001, 400, 1000);
    expect(first.granted).toBe(400);
    expect(first.msLeft).toBeGreaterThan(0);
    expect(first.msLeft).toBeLessThanOrEqual(60_000);
    expect((await leaseTokens(db, 9001, 400, 1000)).granted).toBe(400);
    expect((await leaseTokens(db, 9001, 400, 1000)).granted).toBe(200);
    expect((await leaseTokens(db, 9001, 400, 1000)).granted).toBe(0);
  });

  it('when two limiters (two processes) share a key of 6,400 a minute, then together they admit 6,400 at most and at least 6,400 less a block each', async () => {
    await withMinuteLeft(db.sequelize);
    const one = new RateLimiter(db, 6400);
    const two = new RateLimiter(db, 6400);
    const [a, b] = await Promise.all([takeAll(one, 9002, 4000), takeAll(two, 9002, 4000)]);
    const admitted = [...a, ...b].filter((wait) => wait === 0).length;
    expect(admitted).toBeLessThanOrEqual(6400);
    // A block is 6400 / 64 = 100 tokens; each limiter may hold at most one it does not use.
    expect(admitted).toBeGreaterThanOrEqual(6400 - 2 * 100);
    const refused = [...a, ...b].filter((wait) => wait > 0);
    expect(refused.every((wait) => wait >= 1 && wait <= 60)).toBe(true);
  });
});
