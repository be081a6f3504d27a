import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countNumbers, csvFile } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

/** The advisory lock key imports take (src/imports/pipeline/import-lock.ts). */
const IMPORT_LOCK_KEY = 720_451_002;

let t: TestApp;
/** The same service with a stall timeout of one second, for the stalled upload. */
let impatient: TestApp;
beforeAll(async () => {
  [t, impatient] = await Promise.all([createTestApp({ importMaxConcurrent: 10 }), createTestApp({ importStallTimeoutMs: 1000 })]);
});
afterAll(async () => {
  await Promise.all([t.close(), impatient.close()]);
});

function upload(body: BodyInit, query = '', app = t) {
  return app.request(`/v1/imports${query}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body, duplex: 'half' } as RequestInit);
}

describe('POST /v1/imports: waiting and stalled uploads leave the service answering', () => {
  it('when ten uploads wait behind another process\'s import, then /health and lookups answer, an eleventh is told to retry, and all ten finish', async () => {
    const filed = uniqueMobile();
    await t.request('/v1/phone-numbers', { method: 'POST', json: { number: dashed(filed), category: 'Lead' } });
    // Another process's import holds the lock for as long as this test wants.
    const holder = new pg.Client(t.db.url);
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [IMPORT_LOCK_KEY]);
    let uploads: Array<Promise<Response>> = [];
    try {
      uploads = Array.from({ length: 10 }, () => upload(csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead']])));
      await new Promise((resolve) => setTimeout(resolve, 500));

      // The pool has ten connections: were the waiting uploads holding them, these would fail.
      for (let round = 0; round < 3; round += 1) {
        const health = await t.request('/health', { as: null });
        expect(health.status).toBe(200);
        const lookup = await t.request(`/v1/lookup/${filed}`, { as: 'bot' });
        expect(lookup.status).toBe(200);
        expect(await lookup.json()).toMatchObject({ normalized_number: e164(filed), category: { name: 'Lead' } });
      }

      const refused = await upload(csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead']]));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [IMPORT_LOCK_KEY]);
      await holder.end();
    }
    const answers = await Promise.all(uploads);
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      expect(await answer.json()).toMatchObject({ status: 'completed', inserted: 1 });
    }
    expect(await countNumbers(t)).toBe(11);
  }, 60_000);

  it('when an upload stops sending for longer than the stall timeout, then it is aborted and the database is unchanged', async () => {
    const before = await countNumbers(impatient);
    const rows = Array.from({ length: 30_000 }, (_, i) => `0812640${String(i).padStart(5, '0')},Lead`).join('\n');
    let sent = false;
    const stalled = new ReadableStream<Uint8Array>({
      // The first pull sends a header and 30,000 rows (more than one chunk of the loader); the next never answers.
      pull: (controller) => {
        if (sent) return new Promise<void>(() => {});
        sent = true;
        controller.enqueue(new TextEncoder().encode(`phone,category\n${rows}\n`));
      },
    });
    const response = await upload(stalled, '', impatient);
    expect(response.status).toBe(422);
    // A streamed upload, sent raw; and an error's details are free-form in the envelope's schema.
    const body = (await response.json()) as { error: { details: { reason: string; import_id: number } } };
    expect(body.error.details.reason).toBe('STALLED_UPLOAD');
    expect(await countNumbers(impatient)).toBe(before);
    const report = await bodyOf(clientAs(impatient).v1.imports[':id'].$get({ param: { id: String(body.error.details.import_id) } }), 200);
    expect(report).toMatchObject({ status: 'failed', inserted: 0 });
  }, 30_000);
});
