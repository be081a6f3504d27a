import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { hasValidSignature, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The outbox's promise, with real processes: a server killed (SIGKILL) after the change committed,
 * while its worker was sending the event, loses nothing: the next server sends it.
 */
let db: TestDatabase;
let receiver: WebhookReceiver;
const behaviour: { hang?: boolean } = { hang: true };
const servers: ServerProcess[] = [];
let headers: Record<string, string>;
const serverEnv = () => ({
  DATABASE_URL: db.url,
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_SECRET_KEY: WEBHOOK_KEY,
  ERASURE_HMAC_KEY: randomBytes(32).toString('hex'),
  WEBHOOK_POLL_MS: '50',
  // Long enough that the first server is still waiting for the stuck receiver when it is killed.
  WEBHOOK_TIMEOUT_MS: '60000',
});
const WEBHOOK_KEY = randomBytes(32).toString('hex');

beforeAll(async () => {
  db = await createTestDatabase();
  const admin = await createApiKey({ sequelize: db.sequelize, defaultRegion: 'ID' }, { name: 'webhooks crash', role: 'admin' });
  headers = { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' };
  receiver = await startWebhookReceiver(behaviour);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await receiver?.close();
  await db?.drop();
});

async function post(server: ServerProcess, path: string, json: unknown) {
  const response = await fetch(`${server.base}${path}`, { method: 'POST', headers, body: JSON.stringify(json) });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Record<string, unknown> & { id: number };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliveryRows() {
  const [rows] = await db.sequelize.query('SELECT event_id, status, attempts FROM webhook_deliveries ORDER BY id');
  return rows as Array<{ event_id: string; status: string; attempts: number }>;
}

describe('webhooks across a crash', () => {
  it('when the server is killed between the commit and the receiver\'s answer, then another server delivers the event', async () => {
    const first = await startServerProcess(serverEnv());
    servers.push(first);
    const webhook = await post(first, '/v1/webhooks', { url: receiver.url, events: ['phone_number.filed'] });
    const category = await post(first, '/v1/categories', { name: 'Crash hooks' });
    await post(first, '/v1/phone-numbers', { number: '0812-7300-1001', category_id: category.id });

    // The first server's worker has sent it and waits for an answer that never comes.
    await until(() => receiver.received.length === 1);
    first.child.kill('SIGKILL');
    await first.stop();
    expect(await deliveryRows()).toEqual([{ event_id: receiver.received[0]!.headers['webhook-id'], status: 'pending', attempts: 0 }]);

    behaviour.hang = false;
    const second = await startServerProcess(serverEnv());
    servers.push(second);
    await until(async () => (await deliveryRows())[0]?.status === 'delivered');

    const [lost, delivered] = receiver.received;
    expect(delivered!.headers['webhook-id']).toBe(lost!.headers['webhook-id']);
    expect(hasValidSignature(String(webhook.secret), delivered!)).toBe(true);
    expect(JSON.parse(delivered!.body)).toMatchObject({ type: 'phone_number.filed', data: { normalized_number: '+6281273001001', category: { name: 'Crash hooks' } } });
    expect(await deliveryRows()).toEqual([{ event_id: lost!.headers['webhook-id'], status: 'delivered', attempts: 1 }]);
  }, 120_000);
});
