import { LISTENER_APPLICATION_NAME } from '../../src/lookup/lookup-cache.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { timeUntil } from '../helpers/time-until.js';
import { serverCalls } from '../helpers/server-calls.js';
import { serverClient } from '../helpers/typed-client.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * Two API servers, each its own OS process with its own lookup cache and notification connection,
 * on one database: what one changes, the other answers within a second.
 */
let db: TestDatabase;
let one: ServerProcess;
let two: ServerProcess;
let headers: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  const admin = await createApiKey({ sequelize: db.sequelize, defaultRegion: 'ID' }, { name: 'two processes', role: 'admin' });
  headers = { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' };
  [one, two] = await Promise.all([startServerProcess({ DATABASE_URL: db.url }), startServerProcess({ DATABASE_URL: db.url })]);
}, 90_000);
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await db?.drop();
});

const { write, categoryOf } = serverCalls(() => headers);

describe('two API processes on one database', () => {
  it('when a number is moved through one, then the other, which had it cached, answers the new category within 1 s', async () => {
    const from = await write(one, '/v1/categories', 'POST', { name: 'Two processes: from' });
    const to = await write(one, '/v1/categories', 'POST', { name: 'Two processes: to' });
    const filed = await write(one, '/v1/phone-numbers', 'POST', { number: '0812-7000-1111', category_id: from.id });
    const jid = '6281270001111@s.whatsapp.net';
    expect(await timeUntil(async () => (await categoryOf(two, jid)) === 'Two processes: from')).toBeLessThan(1000);
    expect(await categoryOf(two, jid)).toBe('Two processes: from');

    await write(one, `/v1/phone-numbers/${filed.id}`, 'PATCH', { category_id: to.id });
    expect(await timeUntil(async () => (await categoryOf(two, jid)) === 'Two processes: to')).toBeLessThan(1000);
  });

  it("when the database kills the other's notification connection, then it serves no stale answer, and comes back live", async () => {
    const from = await write(one, '/v1/categories', 'POST', { name: 'Killed listener: from' });
    const to = await write(one, '/v1/categories', 'POST', { name: 'Killed listener: to' });
    const filed = await write(one, '/v1/phone-numbers', 'POST', { number: '0812-7000-2222', category_id: from.id });
    const number = '+6281270002222';
    await timeUntil(async () => (await categoryOf(two, number)) === 'Killed listener: from');

    await db.sequelize.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', { bind: [LISTENER_APPLICATION_NAME] });
    // Each process notices at once (the server tells the client it is terminating it).
    await timeUntil(async () => (await (await serverClient(two.base).health.$get()).json()).lookup_cache === 'bypassed');
    // Changed while nobody listens: the other process must read the database, not its cache.
    await db.sequelize.query('UPDATE phone_numbers SET category_id = $1 WHERE id = $2', { bind: [to.id, filed.id] });
    expect(await categoryOf(two, number)).toBe('Killed listener: to');

    await timeUntil(async () => (await (await serverClient(two.base).health.$get()).json()).lookup_cache === 'live');
    expect(await categoryOf(two, number)).toBe('Killed listener: to');
    await write(one, `/v1/phone-numbers/${filed.id}`, 'PATCH', { category_id: from.id });
    expect(await timeUntil(async () => (await categoryOf(two, number)) === 'Killed listener: from')).toBeLessThan(1000);
  });
});
