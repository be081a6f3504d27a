import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { withMinuteLeft } from '../helpers/minute-start.js';

/** Two API processes on one database, a key allowed 30 requests a minute: 30 in all, not 30 each. */
const LIMIT = 30;
let db: TestDatabase;
let one: ServerProcess;
let two: ServerProcess;
let headers: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  const bot = await createApiKey({ sequelize: db.sequelize, defaultRegion: 'ID' }, { name: 'limited bot', role: 'bot' });
  headers = { authorization: `Bearer ${bot.key}` };
  const env = { DATABASE_URL: db.url, RATE_LIMIT_PER_MINUTE: String(LIMIT) };
  [one, two] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
}, 90_000);
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await db?.drop();
});

describe('the per-key rate limit across processes', () => {
  it('when a key asks both processes 25 times each within a minute, then 30 are answered in all and the rest get 429 with Retry-After', async () => {
    await withMinuteLeft(db.sequelize);
    const ask = (server: ServerProcess) => fetch(`${server.base}/v1/lookup/081277001234`, { headers });
    const answers: Response[] = [];
    for (let i = 0; i < 25; i += 1) answers.push(...(await Promise.all([ask(one), ask(two)])));
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status !== 429)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status !== 429 && status !== 404)).toEqual([]);
    const refused = answers.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  }, 90_000);
});
