import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { createCategory } from '../../src/categories/categories.service.js';
import { filePhoneNumber } from '../../src/phone-numbers/phone-numbers.service.js';
import { startReplicatedPostgres, type ReplicatedPostgres } from '../../src/db/embedded-replica.js';
import { migrateAndSeed } from '../../src/db/migrator.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { serverCalls } from '../helpers/server-calls.js';
import { serverClient } from '../helpers/typed-client.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { timeUntil } from '../helpers/time-until.js';

/**
 * A primary and a real streaming replica (from the embedded binaries, not the suite's shared
 * server), and two API processes reading from the replica: reads land there, a change is never
 * answered stale (nor cached stale) while the replica lags, and a stopped replica costs no errors.
 */
let pair: ReplicatedPostgres;
let one: ServerProcess;
let two: ServerProcess;
let headers: Record<string, string>;

beforeAll(async () => {
  pair = await startReplicatedPostgres({ dataDir: await mkdtemp(path.join(tmpdir(), 'wa-replicas-test-')) });
  const sequelize = createSequelize({ url: pair.primaryUrl });
  await migrateAndSeed(sequelize);
  const admin = await createApiKey({ sequelize, defaultRegion: 'ID' }, { name: 'replicas', role: 'admin' });
  await sequelize.close();
  headers = { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' };
  const env = { DATABASE_URL: pair.primaryUrl, DATABASE_READ_URLS: pair.replicaUrl, REPLICA_MAX_LAG_MS: '1000' };
  [one, two] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  for (const server of [one, two]) await timeUntil(async () => (await health(server)).read_replicas[0]?.in_use === true, 10_000);
}, 120_000);
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await pair?.stop();
});

async function health(server: ServerProcess) {
  return (await serverClient(server.base).health.$get()).json();
}

const { call, write, categoryOf } = serverCalls(() => headers);

async function onServer<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Index and sequential scans of a table, by that server's own cumulative statistics. */
async function scansOf(url: string, table: string): Promise<number> {
  const [row] = await onServer<{ scans: string }>(url, 'SELECT coalesce(idx_scan, 0) + coalesce(seq_scan, 0) AS scans FROM pg_stat_user_tables WHERE relname = $1', [table]);
  return Number(row?.scans ?? 0);
}

describe('read replicas (DATABASE_READ_URLS), with a streaming replica of the embedded binaries', () => {
  it('when numbers are looked up, searched and counted, then the replica serves the reads and the primary none of them, by each server\'s statistics', async () => {
    // Filed through a connection of its own that then closes: a backend adds its counts to the shared
    // statistics when it ends (an idle pooled one may wait up to 10 s), so the primary's count is settled.
    const writer = createSequelize({ url: pair.primaryUrl });
    const category = await createCategory({ sequelize: writer, defaultRegion: 'ID' }, { name: 'Replica reads' });
    for (let i = 0; i < 5; i += 1) await filePhoneNumber({ sequelize: writer, defaultRegion: 'ID' }, { number: `0812-7100-000${i}`, category_id: category.id });
    await writer.close();
    // After a change, each process reads from the primary until the replica has replayed it.
    for (const server of [one, two]) await timeUntil(async () => (await health(server)).read_replicas[0]?.in_use === true, 5000);
    const before = { replica: await scansOf(pair.replicaUrl, 'phone_numbers'), primary: await scansOf(pair.primaryUrl, 'phone_numbers') };

    const lookups = 40;
    for (let i = 0; i < lookups; i += 1) expect(await categoryOf(i % 2 ? one : two, `+628127100${String(i).padStart(4, '0')}`)).toBe(i < 5 ? 'Replica reads' : undefined);
    expect((await call(one, '/v1/phone-numbers?search=7100')).status).toBe(200);
    expect((await call(two, '/v1/stats')).status).toBe(200);

    // Each lookup missed the cache: one index scan each, at least, where it was read.
    // (A busy server may hold counts back up to 10 s.)
    await timeUntil(async () => (await scansOf(pair.replicaUrl, 'phone_numbers')) - before.replica >= lookups, 12_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await scansOf(pair.primaryUrl, 'phone_numbers')).toBe(before.primary);
  });

  it('when a number is moved while the replica\'s replay is paused for 2 s, then both processes answer the new category within 1 s and never the old one again', async () => {
    const from = await write(one, '/v1/categories', 'POST', { name: 'Paused replay: from' });
    const to = await write(one, '/v1/categories', 'POST', { name: 'Paused replay: to' });
    const filed = await write(one, '/v1/phone-numbers', 'POST', { number: '0812-7200-0001', category_id: from.id });
    const number = '+6281272000001';
    for (const server of [one, two]) await timeUntil(async () => (await categoryOf(server, number)) === 'Paused replay: from');
    for (const server of [one, two]) await timeUntil(async () => (await health(server)).read_replicas[0]?.in_use === true, 5000);

    await onServer(pair.replicaUrl, 'SELECT pg_wal_replay_pause()');
    try {
      await write(one, `/v1/phone-numbers/${filed.id}`, 'PATCH', { category_id: to.id });
      for (const server of [one, two]) expect(await timeUntil(async () => (await categoryOf(server, number)) === 'Paused replay: to')).toBeLessThan(1000);
      // For the rest of the pause, asked again and again (a cached answer, or a miss read somewhere), never the old one.
      const pausedUntil = Date.now() + 2000;
      while (Date.now() < pausedUntil) for (const server of [one, two]) expect(await categoryOf(server, number)).toBe('Paused replay: to');
      const paused = await health(two);
      expect(paused.read_replicas[0]).toMatchObject({ in_use: false });
      expect(paused.read_replicas[0]!.lag_ms).toBeGreaterThan(1000);
      const [onReplica] = await onServer<{ category_id: number }>(pair.replicaUrl, 'SELECT category_id FROM phone_numbers WHERE id = $1', [filed.id]);
      expect(onReplica?.category_id, 'the replica really was behind').toBe(from.id);
    } finally {
      await onServer(pair.replicaUrl, 'SELECT pg_wal_replay_resume()');
    }
    for (const server of [one, two]) await timeUntil(async () => (await health(server)).read_replicas[0]?.in_use === true, 5000);
    for (const server of [one, two]) expect(await categoryOf(server, number)).toBe('Paused replay: to');
  });

  it('when the replica is stopped, then lookups, search and stats answer without an error, /health says it is out of use, and it is used again once back', async () => {
    await pair.stopReplica();
    const asked = Array.from({ length: 60 }, (_, i) => call(i % 2 ? one : two, `/v1/lookup/${encodeURIComponent(`+628127300${String(i).padStart(4, '0')}`)}`));
    asked.push(call(one, '/v1/phone-numbers?search=7300'), call(two, '/v1/stats'), call(one, '/v1/categories'));
    const statuses = (await Promise.all(asked)).map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 200 && status !== 404)).toEqual([]);
    for (const server of [one, two]) {
      const report = await health(server);
      expect(report.status).toBe('ok');
      expect(report.read_replicas[0]).toMatchObject({ in_use: false, lag_ms: null });
    }

    await pair.startReplica();
    for (const server of [one, two]) await timeUntil(async () => (await health(server)).read_replicas[0]?.in_use === true, 10_000);
  });
});
