import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { timeUntil } from '../helpers/time-until.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * Two API servers, each started as `npm start` runs it, on one database: a LID learned through one
 * is answered by the other within a second; and the example bot client runs against a real server.
 */
let db: TestDatabase;
let one: ServerProcess;
let two: ServerProcess;
let adminKey: string;
let botKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const ctx = { sequelize: db.sequelize, defaultRegion: 'ID' as const };
  adminKey = (await createApiKey(ctx, { name: 'identities e2e admin', role: 'admin' })).key;
  botKey = (await createApiKey(ctx, { name: 'identities e2e bot', role: 'bot' })).key;
  [one, two] = await Promise.all([startServerProcess({ DATABASE_URL: db.url }), startServerProcess({ DATABASE_URL: db.url })]);
}, 90_000);
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await db?.drop();
});

async function call(server: ServerProcess, urlPath: string, init: { method?: string; json?: unknown; key?: string } = {}) {
  const response = await fetch(`${server.base}${urlPath}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.key ?? adminKey}`, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function fileIn(server: ServerProcess, category: string, number: string) {
  const made = await call(server, '/v1/categories', { method: 'POST', json: { name: category } });
  expect(made.status).toBe(201);
  const filed = await call(server, '/v1/phone-numbers', { method: 'POST', json: { number, category_id: made.body.id } });
  expect(filed.status).toBe(201);
}

describe('sender identities across two API processes', () => {
  it('when the second process has cached a LID as unknown and the first learns it, then the second answers it within 1 s', async () => {
    await fileIn(one, 'Identities e2e VIP', '0812-7000-2222');
    const lid = '201234567890123@lid';
    const askTwo = () => call(two, `/v1/lookup/${encodeURIComponent('201234567890123:4@lid')}`, { key: botKey });
    expect(await askTwo()).toMatchObject({ status: 404, body: { error: { code: 'UNRESOLVED_IDENTITY' } } });

    const taught = await call(one, `/v1/lookup/${encodeURIComponent(lid)}?alt=${encodeURIComponent('6281270002222@s.whatsapp.net')}`, { key: botKey });
    expect(taught).toMatchObject({ status: 200, body: { resolved_from: 'lid', category: { name: 'Identities e2e VIP' } } });
    expect(await timeUntil(async () => (await askTwo()).status === 200)).toBeLessThan(1000);
    expect((await askTwo()).body).toMatchObject({ normalized_number: '+6281270002222', resolved_from: 'lid' });
  });

  it('when the example client replays lidPnMappings and looks senders up, then it prints what a bot should do', async () => {
    await fileIn(one, 'Identities e2e Customer', '0812-7000-3333');
    const mappings = path.join(tmpdir(), `lid-pn-mappings-${process.pid}.json`);
    await writeFile(mappings, JSON.stringify([{ lid: '301234567890123@lid', pn: '6281270003333@s.whatsapp.net' }, { lid: 'junk', pn: '1' }]));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'examples/bot-client.mjs',
        '--mappings',
        mappings,
        '301234567890123:2@lid',
        'ID.1349120865530274191=6281270003333',
        '401234567890123@lid',
        '6281270009999@s.whatsapp.net',
      ],
      { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...process.env, WA_API_URL: one.base, WA_API_KEY: botKey } },
    );
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { replayed: { stored: 1, unchanged: 0, rejected: 1 } },
      { sender: '301234567890123:2@lid', resolved_from: 'lid', category: 'Identities e2e Customer', action: 'treat as Identities e2e Customer' },
      { sender: 'ID.1349120865530274191', resolved_from: 'bsuid', category: 'Identities e2e Customer', action: 'treat as Identities e2e Customer' },
      { sender: '401234567890123@lid', resolved_from: 'lid', category: null, action: 'ask for their number' },
      { sender: '6281270009999@s.whatsapp.net', resolved_from: 'phone', category: null, action: 'treat as a stranger' },
    ]);
  });
});
