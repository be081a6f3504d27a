import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { attemptDueDeliveries } from '../../src/webhooks/webhook-delivery.js';
import type { WEBHOOK_SUBSCRIPTIONS } from '../../src/webhooks/webhook-events.js';
import type { WebhookSettings } from '../../src/webhooks/webhook-settings.js';
import { startWebhookWorker } from '../../src/webhooks/webhook-worker.js';
import { purgeDeliveryLog } from '../../src/webhooks/webhooks.repository.js';
import { csvFile, postCsv } from '../helpers/csv.js';
import { dashed, e164, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';
import { hasValidSignature, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { eventually } from '../helpers/time-until.js';

/** Backoff shortened to 100 ms (then 200, 400…) so that retries happen within a test. */
const settings: WebhookSettings = { secretKey: randomBytes(32), allowPrivate: true, timeoutMs: 2000, retryBaseMs: 100, maxAttempts: 6 };

let t: TestApp;
let stopWorker: () => Promise<void>;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  t = await createTestApp({ webhooks: settings });
  stopWorker = startWebhookWorker({ sequelize: t.db.sequelize }, { ...settings, pollMs: 50, logRetentionDays: 30 }, pino({ level: 'silent' }));
});
// A test that failed half-way must not leave an endpoint that hears the next test's events.
afterEach(async () => {
  await t.db.sequelize.query('DELETE FROM webhooks');
});
afterAll(async () => {
  await stopWorker();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await t.close();
});

async function receiver(options: Parameters<typeof startWebhookReceiver>[0] = {}) {
  const started = await startWebhookReceiver(options);
  receivers.push(started);
  return started;
}

async function register(url: string, events: Array<(typeof WEBHOOK_SUBSCRIPTIONS)[number]>) {
  return bodyOf(clientAs(t).v1.webhooks.$post({ json: { url, events } }), 201);
}

/** Any write by path and method, which must succeed (its body read as a record: the route varies). */
async function ok(path: string, method: string, json?: unknown) {
  const response = await t.request(path, { method, json });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response.status === 204 ? null : ((await response.json()) as Record<string, unknown> & { id: number });
}

const until = (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => eventually(condition, timeoutMs);

async function deliveriesOf(webhookId: number) {
  return bodyOf(clientAs(t).v1.webhooks[':id'].deliveries.$get({ param: { id: String(webhookId) }, query: { limit: '200' } }), 200);
}

describe('webhooks: every event reaches a real receiver, signed', () => {
  it('when numbers, identities, categories and an import change, then each event type arrives with a valid signature, a number\'s events in order', async () => {
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['*']);

    const a = await makeCategory(t, 'Hooks A');
    await ok(`/v1/categories/${a.id}`, 'PATCH', { description: 'warm leads' });
    const b = await makeCategory(t, 'Hooks B');
    const budi = uniqueMobile();
    const filed = await ok('/v1/phone-numbers', 'POST', { number: dashed(budi), category_id: a.id, name: 'Budi' });
    await ok(`/v1/phone-numbers/${filed!.id}`, 'PATCH', { category_id: b.id });
    await ok('/v1/identities', 'POST', { pairs: [{ id: '601234567890123@lid', phone: dashed(budi) }] });
    await ok(`/v1/phone-numbers/${filed!.id}`, 'DELETE');
    expect((await postCsv(t, csvFile([['phone', 'category'], [uniqueMobile(), 'Hooks B']]))).status).toBe(201);
    await ok(`/v1/categories/${a.id}`, 'DELETE');

    const types = ['category.created', 'category.updated', 'phone_number.filed', 'phone_number.moved', 'identity.learned', 'phone_number.deleted', 'import.finished', 'category.deleted'];
    await until(() => types.every((type) => hooks.accepted().some((event) => event.type === type)));
    for (const delivery of hooks.received) expect(hasValidSignature(webhook.secret, delivery), delivery.body).toBe(true);
    // The check is not vacuous: a changed body, another secret or a stale timestamp are refused.
    const sample = hooks.received[0]!;
    expect(hasValidSignature(webhook.secret, { ...sample, body: sample.body.replace('Hooks A', 'Hooks X') })).toBe(false);
    expect(hasValidSignature(`whsec_${randomBytes(32).toString('base64')}`, sample)).toBe(false);
    expect(hasValidSignature(webhook.secret, { ...sample, headers: { ...sample.headers, 'webhook-timestamp': String(Number(sample.headers['webhook-timestamp']) - 600) } })).toBe(false);
    expect(new Set(hooks.received.map((r) => r.headers['webhook-id'])).size).toBe(hooks.received.length);

    const ofNumber = hooks.accepted().filter((event) => event.data.normalized_number === e164(budi));
    expect(ofNumber.map((event) => event.type)).toEqual(['phone_number.filed', 'phone_number.moved', 'identity.learned', 'phone_number.deleted']);
    expect(ofNumber[1]!.data).toMatchObject({ from_category: { id: a.id, name: 'Hooks A' }, to_category: { id: b.id, name: 'Hooks B' }, name: 'Budi' });
    expect(ofNumber[2]!.data).toEqual({ id: '601234567890123@lid', kind: 'lid', normalized_number: e164(budi), previous_number: null });
    expect(hooks.accepted().find((event) => event.type === 'import.finished')!.data).toMatchObject({ inserted: 1, rows_total: 1, status: 'completed' });
    expect(hooks.accepted().find((event) => event.type === 'category.deleted')!.data).toMatchObject({ category: { id: a.id, name: 'Hooks A' }, deleted_numbers: 0 });
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  });

  it('when an admin sends a test event, then the receiver gets a signed webhook.test and the answer says it was delivered', async () => {
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['import.finished']);
    const delivery = await ok(`/v1/webhooks/${webhook.id}/test`, 'POST');
    expect(delivery).toMatchObject({ event_type: 'webhook.test', status: 'delivered', attempts: 1, last_status_code: 204 });
    expect(hooks.received).toHaveLength(1);
    expect(hasValidSignature(webhook.secret, hooks.received[0]!)).toBe(true);
    expect(hooks.accepted()[0]).toMatchObject({ type: 'webhook.test', data: { webhook_id: webhook.id } });
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  });
});

describe('webhooks: retries', () => {
  it('when the receiver fails 3 times, then it gets the event on the 4th attempt, after growing waits, and the number\'s next event only after it', async () => {
    const hooks = await receiver({ answer: (attempt) => (attempt <= 3 ? 500 : 204) });
    const webhook = await register(hooks.url, ['phone_number.*']);
    const category = await makeCategory(t, 'Retry A');
    const other = await makeCategory(t, 'Retry B');
    const filed = await ok('/v1/phone-numbers', 'POST', { number: '0812-7200-2001', category_id: category.id });
    await ok(`/v1/phone-numbers/${filed!.id}`, 'PATCH', { category_id: other.id });

    await until(() => hooks.accepted().length === 2);
    const [first, second, third, fourth, fifth] = hooks.received;
    expect(hooks.received.map((r) => r.status)).toEqual([500, 500, 500, 204, 204]);
    // The same event every time (one webhook-id), each attempt signed afresh.
    expect(new Set([first, second, third, fourth].map((r) => r!.headers['webhook-id'])).size).toBe(1);
    for (const attempt of hooks.received) expect(hasValidSignature(webhook.secret, attempt)).toBe(true);
    // Backoff doubles from 100 ms: at least 100, 200 and 400 ms between the attempts.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(90);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(190);
    expect(fourth!.at - third!.at).toBeGreaterThanOrEqual(390);
    // The move waited for the filing: in order per number, even across retries.
    expect(hooks.accepted().map((event) => event.type)).toEqual(['phone_number.filed', 'phone_number.moved']);
    expect(fifth!.at).toBeGreaterThanOrEqual(fourth!.at);

    const log = await deliveriesOf(webhook.id);
    expect(log.map((d) => [d.event_type, d.status, d.attempts, d.last_status_code])).toEqual([
      ['phone_number.moved', 'delivered', 1, 204],
      ['phone_number.filed', 'delivered', 4, 204],
    ]);
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  });
});

describe('webhooks: giving up', () => {
  it('when a receiver keeps failing past the attempts allowed, then the delivery is marked failed and the number\'s next event goes', async () => {
    const hooks = await receiver({ answer: () => 500 });
    const webhook = await register(hooks.url, ['phone_number.*']);
    await stopWorker();
    try {
      const giveUpSoon = { ...settings, maxAttempts: 2, retryBaseMs: 1 };
      const category = await makeCategory(t, 'Give up A');
      const filed = await ok('/v1/phone-numbers', 'POST', { number: '0812-7200-4001', category_id: category.id });
      await ok(`/v1/phone-numbers/${filed!.id}`, 'DELETE');
      for (let round = 0; round < 3; round += 1) {
        await attemptDueDeliveries({ sequelize: t.db.sequelize }, giveUpSoon, undefined, 10);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await deliveriesOf(webhook.id)).map((d) => [d.event_type, d.status, d.attempts])).toEqual([
        ['phone_number.deleted', 'pending', 1],
        ['phone_number.filed', 'failed', 2],
      ]);
      // What the receiver was sent, raw (the payload's signature is checked on these bytes elsewhere).
      expect(hooks.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['phone_number.filed', 'phone_number.filed', 'phone_number.deleted']);
    } finally {
      await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
      stopWorker = startWebhookWorker({ sequelize: t.db.sequelize }, { ...settings, pollMs: 50, logRetentionDays: 30 }, pino({ level: 'silent' }));
    }
  });
});

describe('webhooks: an import is one event', () => {
  it('when 100,000 rows are imported, then exactly one import.finished event is written and delivered', async () => {
    await makeCategory(t, 'Bulk hooks');
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['*']);
    const rows = Array.from({ length: 100_000 }, (_, i) => `0813${String(10_000_000 + i)}`);
    const response = await postCsv(t, `phone\n${rows.join('\n')}\n`, 'category=Bulk%20hooks');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 100_000 });

    await until(() => hooks.accepted().length >= 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.accepted()).toHaveLength(1);
    expect(hooks.accepted()[0]).toMatchObject({ type: 'import.finished', data: { rows_total: 100_000, inserted: 100_000, category: 'Bulk hooks' } });
    const [rows_] = await t.db.sequelize.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1', { bind: [webhook.id] });
    expect((rows_ as Array<{ n: number }>)[0]!.n).toBe(1);
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  }, 120_000);
});

describe('webhooks: where they may point', () => {
  const strict = () => createApp({ sequelize: t.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), webhooks: { ...settings, allowPrivate: false } });

  it('when WEBHOOK_ALLOW_PRIVATE is off, then loopback, private, link-local and plain-http URLs are refused with 422', async () => {
    const app = strict();
    for (const url of ['https://127.0.0.1/hooks', 'https://10.1.2.3/', 'https://192.168.0.10/', 'https://172.20.0.1/', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/', 'https://[::ffff:10.0.0.1]/', 'https://[fd00::1]/', 'https://localhost:8443/', 'http://93.184.216.34/']) {
      const response = await app.request('/v1/webhooks', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['*'] }),
      });
      expect(response.status, url).toBe(422);
      expect(await response.json(), url).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { reason: 'FORBIDDEN_URL' } } });
    }
  });

  it('when an endpoint on a private address is due but private addresses are off, then the sender refuses to connect', async () => {
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['category.*']);
    await stopWorker();
    try {
      await makeCategory(t, 'Refused hooks');
      await attemptDueDeliveries({ sequelize: t.db.sequelize }, { ...settings, allowPrivate: false }, undefined, 10);
      expect(hooks.received).toHaveLength(0);
      const [delivery] = await deliveriesOf(webhook.id);
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
      expect(delivery!.last_error).toMatch(/^refused: only https/);
    } finally {
      await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
      stopWorker = startWebhookWorker({ sequelize: t.db.sequelize }, { ...settings, pollMs: 50, logRetentionDays: 30 }, pino({ level: 'silent' }));
    }
  });
});

describe('webhooks: secrets, roles and erasure', () => {
  it('when an endpoint is registered, then its secret is shown once and kept only sealed', async () => {
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['category.created']);
    expect(webhook.secret).toMatch(/^whsec_/);
    const listed = await bodyOf(clientAs(t).v1.webhooks.$get(), 200);
    expect(listed.find((w) => w.id === webhook.id)).not.toHaveProperty('secret');
    const [rows] = await t.db.sequelize.query('SELECT secret_ciphertext FROM webhooks WHERE id = $1', { bind: [webhook.id] });
    const sealed = (rows as Array<{ secret_ciphertext: Buffer }>)[0]!.secret_ciphertext;
    expect(sealed.toString('latin1')).not.toContain(webhook.secret.slice(6, 20));
    expect(sealed.toString('base64')).not.toContain(webhook.secret.slice(6, 20));
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  });

  it('when a staff or bot key asks for webhooks, then it is refused 403', async () => {
    for (const as of ['staff', 'bot'] as const) {
      expect((await t.request('/v1/webhooks', { as })).status).toBe(403);
      expect((await t.request('/v1/webhooks', { as, method: 'POST', json: { url: 'https://example.org/', events: ['*'] } })).status).toBe(403);
    }
  });

  it('when a number is erased, then the deliveries naming it (sent or pending) are erased with it', async () => {
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['phone_number.*', 'identity.*']);
    const category = await makeCategory(t, 'Erased hooks');
    await ok('/v1/phone-numbers', 'POST', { number: '0812-7200-3001', category_id: category.id, name: 'Siti Erased' });
    await ok('/v1/identities', 'POST', { pairs: [{ id: '701234567890123@lid', phone: '0812-7200-3001' }] });
    await until(() => hooks.accepted().length === 2);

    const erased = await ok('/v1/erasures', 'POST', { number: '+6281272003001' });
    expect(erased).toMatchObject({ erased: { webhook_deliveries: 2 } });
    const [rows] = await t.db.sequelize.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE payload::text LIKE '%6281272003001%' OR payload::text LIKE '%Siti Erased%'");
    expect((rows as Array<{ n: number }>)[0]!.n).toBe(0);
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  });
});

describe('webhooks: the delivery log is kept for a while', () => {
  it('when delivered and failed deliveries are older than the retention, then they are purged and pending ones are kept', async () => {
    const hooks = await receiver();
    const webhook = await register(hooks.url, ['import.finished']);
    await ok(`/v1/webhooks/${webhook.id}/test`, 'POST');
    await ok(`/v1/webhooks/${webhook.id}/test`, 'POST');
    await t.db.sequelize.query(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, ordering_key, payload, next_attempt_at)
       VALUES ($1, 'msg_old_pending', 'import.finished', 'import:0', '{}', now() + interval '1 hour')`,
      { bind: [webhook.id] },
    );
    await t.db.sequelize.query(`UPDATE webhook_deliveries SET created_at = now() - interval '40 days' WHERE webhook_id = $1`, { bind: [webhook.id] });
    await t.db.sequelize.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE id = (SELECT min(id) FROM webhook_deliveries WHERE webhook_id = $1)`, { bind: [webhook.id] });

    expect(await purgeDeliveryLog({ sequelize: t.db.sequelize }, 30, 1)).toBe(1);
    expect(await purgeDeliveryLog({ sequelize: t.db.sequelize }, 30, 100)).toBe(1);
    expect((await deliveriesOf(webhook.id)).map((d) => [d.event_id, d.status])).toEqual([['msg_old_pending', 'pending']]);
    await ok(`/v1/webhooks/${webhook.id}`, 'DELETE');
  });
});
