import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The database goes away for a few seconds while bots keep asking: the log says so once, sums up
 * while it lasts and says when it is back, instead of a line with a stack for every request.
 * The server reaches PostgreSQL through a real TCP relay that we make refuse connections.
 */
let db: TestDatabase;
let relay: TcpRelay;
let server: ServerProcess;
let key: string;

beforeAll(async () => {
  db = await createTestDatabase();
  key = (await createApiKey({ sequelize: db.sequelize, defaultRegion: 'ID' }, { name: 'outage bot', role: 'bot' })).key;
  const target = new URL(db.url);
  relay = await startTcpRelay(target.hostname, Number(target.port));
  const throughRelay = new URL(db.url);
  throughRelay.host = `127.0.0.1:${relay.port}`;
  // The lookup cache off: every lookup must reach the database, as misses under load do.
  server = await startServerProcess({ DATABASE_URL: throughRelay.toString(), LOG_LEVEL: 'info', LOOKUP_CACHE_SIZE: '0' });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await relay?.close();
  await db?.drop();
});

async function lookupsFor(ms: number): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        const response = await fetch(`${server.base}/v1/lookup/0812${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
    }),
  );
  return statuses;
}

describe('a database outage under load', () => {
  it('when the database is unreachable for 3 s, then the log has one line at the start, one at the end, and no stack per request', async () => {
    expect((await lookupsFor(300)).every((status) => status === 404)).toBe(true);
    const logBefore = server.output().length;

    relay.refuse();
    const during = await lookupsFor(3000);
    relay.restore();
    const answered503 = during.filter((status) => status === 503).length;
    expect(answered503).toBeGreaterThan(20);

    // Back: lookups answer again, and within a few seconds the log says so.
    await expect.poll(async () => (await lookupsFor(200)).every((status) => status === 404), { timeout: 10_000, interval: 300 }).toBe(true);
    await expect.poll(() => server.output().slice(logBefore).includes('database available again'), { timeout: 5000 }).toBe(true);

    const lines = server
      .output()
      .slice(logBefore)
      .split('\n')
      .filter((line) => line.startsWith('{') && !line.includes('"msg":"request"'));
    const started = lines.filter((line) => line.includes('database unavailable'));
    const ended = lines.filter((line) => line.includes('database available again'));
    expect(started).toHaveLength(1);
    expect(ended).toHaveLength(1);
    expect(JSON.parse(ended[0]!)).toMatchObject({ answered_503: expect.any(Number) });
    expect(JSON.parse(ended[0]!).answered_503).toBeGreaterThanOrEqual(answered503);
    // Everything else the outage wrote (the lookup cache is off; the pool, the key check): a handful, not thousands.
    expect(lines.length, lines.join('\n')).toBeLessThan(10);
  }, 60_000);
});
