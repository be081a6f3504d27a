import { Readable } from 'node:stream';
import { pino } from 'pino';
import { LISTENER_APPLICATION_NAME } from '../../src/lookup/lookup-cache.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { importCsv } from '../../src/imports/pipeline/import-csv.js';
import { LookupCache } from '../../src/lookup/lookup-cache.js';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { startTcpRelay } from '../helpers/tcp-relay.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyIf, bodyOf, clientAs } from '../helpers/typed-client.js';
import { eventually } from '../helpers/time-until.js';

// Two "API processes" on one database: each its own app, its own cache and notification connection.
let a: TestApp;
let cacheA: LookupCache;
let cacheB: LookupCache;
let appB: ReturnType<typeof createApp>;

beforeAll(async () => {
  a = await createTestApp();
  cacheA = new LookupCache({ databaseUrl: a.db.url, maxEntries: 1000 });
  cacheB = new LookupCache({ databaseUrl: a.db.url, maxEntries: 1000 });
  await Promise.all([cacheA.start(), cacheB.start()]);
  a = { ...a, app: createApp({ sequelize: a.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), lookupCache: cacheA }) };
  appB = createApp({ sequelize: a.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), lookupCache: cacheB });
});
afterAll(async () => {
  await cacheA.close();
  await cacheB.close();
  await a.db.drop();
});

const auth = () => ({ authorization: `Bearer ${a.keys.admin}` });
const viaA = (path: string, init: RequestInit & { json?: unknown } = {}) => {
  const { json, ...rest } = init;
  const headers = new Headers({ ...auth(), ...(json === undefined ? {} : { 'content-type': 'application/json' }) });
  return a.app.request(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
};
async function lookupB(number: string): Promise<{ status: number; category?: string }> {
  const response = await clientAs({ ...a, app: appB }).v1.lookup[':number'].$get({ param: { number: encodeURIComponent(number) }, query: {} });
  return { status: response.status, category: (await bodyIf(response, 200))?.category.name };
}

/** Polls for at most one second: the promise is that a committed change is seen everywhere within 1 s. */
const within1s = (check: () => Promise<boolean>) => eventually(check, 1000);

describe('the lookup cache across two processes', () => {
  it('when B has cached a miss and A files the number, then B finds it within 1 s', async () => {
    const number = uniqueMobile();
    expect((await lookupB(number)).status).toBe(404);
    expect(cacheB.size).toBeGreaterThan(0);
    const category = await makeCategory(a, 'Cache filed');
    await viaA('/v1/phone-numbers', { method: 'POST', json: { number, category_id: category.id } });
    await within1s(async () => (await lookupB(number)).category === 'Cache filed');
  });

  it('when A moves, then deletes a number B has cached, then B follows within 1 s each time', async () => {
    const from = await makeCategory(a, 'Cache from');
    const to = await makeCategory(a, 'Cache to');
    const number = uniqueMobile();
    const filed = await fileNumber(a, number, from.id);
    expect((await lookupB(number)).category).toBe('Cache from');
    await viaA(`/v1/phone-numbers/${filed.id}`, { method: 'PATCH', json: { category_id: to.id } });
    await within1s(async () => (await lookupB(number)).category === 'Cache to');
    await viaA(`/v1/phone-numbers/${filed.id}`, { method: 'DELETE' });
    await within1s(async () => (await lookupB(number)).status === 404);
  });

  it('when a category is renamed or deleted with move_to, then B follows within 1 s', async () => {
    const from = await makeCategory(a, 'Cache old name');
    const to = await makeCategory(a, 'Cache target');
    const number = uniqueMobile();
    await fileNumber(a, number, from.id);
    expect((await lookupB(number)).category).toBe('Cache old name');
    await viaA(`/v1/categories/${from.id}`, { method: 'PATCH', json: { name: 'Cache new name' } });
    await within1s(async () => (await lookupB(number)).category === 'Cache new name');
    await viaA(`/v1/categories/${from.id}?move_to=${to.id}`, { method: 'DELETE' });
    await within1s(async () => (await lookupB(number)).category === 'Cache target');
  });

  it('when an import files new numbers (skip) and moves filed ones (move), then B follows within 1 s', async () => {
    const ctx = { sequelize: a.db.sequelize, defaultRegion: 'ID' as const };
    const fresh = uniqueMobile();
    const moved = uniqueMobile();
    const lead = await makeCategory(a, 'Cache import A');
    const prospek = await makeCategory(a, 'Cache import B');
    await fileNumber(a, moved, lead.id);
    expect((await lookupB(fresh)).status).toBe(404);
    expect((await lookupB(moved)).category).toBe('Cache import A');
    const options = { source: 'cli' as const, filename: null, dryRun: false, createCategories: false, category: prospek.name };
    await importCsv(ctx, Readable.from([`phone\n${fresh}\n`]), { ...options, onDuplicate: 'skip' });
    await within1s(async () => (await lookupB(fresh)).category === 'Cache import B');
    await importCsv(ctx, Readable.from([`phone\n${moved}\n`]), { ...options, onDuplicate: 'move' });
    await within1s(async () => (await lookupB(moved)).category === 'Cache import B');
  });

  it('when a batch lookup runs twice, then the second is answered from the cache and stays in input order', async () => {
    const category = await makeCategory(a, 'Cache batch');
    const numbers = [uniqueMobile(), uniqueMobile()];
    await fileNumber(a, numbers[0]!, category.id);
    const ask = () => bodyOf(clientAs({ ...a, app: appB }).v1.lookup.$post({ json: { numbers } }), 200);
    // A change notice arriving meanwhile (this file's earlier changes, or the filing above) rightly
    // keeps a read out of the cache: the pair of asks is repeated until no notice came between.
    let first: Awaited<ReturnType<typeof ask>> | undefined;
    let quietPairs = 0;
    for (let attempt = 0; attempt < 5 && quietPairs === 0; attempt += 1) {
      const generation = cacheB.snapshot();
      first = await ask();
      const sizeAfterFirst = cacheB.size;
      const second = await ask();
      if (cacheB.snapshot() !== generation) continue;
      expect(second).toEqual(first);
      expect(cacheB.size).toBe(sizeAfterFirst);
      quietPairs += 1;
    }
    expect(quietPairs).toBe(1);
    expect(first!.results.map((result) => result.category?.name ?? null)).toEqual(['Cache batch', null]);
  });

  it("when B's notification connection is killed, then B serves no stale answer and recovers", async () => {
    const from = await makeCategory(a, 'Cache before kill');
    const to = await makeCategory(a, 'Cache after kill');
    const number = uniqueMobile();
    const filed = await fileNumber(a, number, from.id);
    expect((await lookupB(number)).category).toBe('Cache before kill');

    await a.db.sequelize.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', { bind: [LISTENER_APPLICATION_NAME] });
    await within1s(async () => !cacheB.live);
    // Changed behind everyone's back while nobody listens: B must read the database, not its cache.
    await a.db.sequelize.query('UPDATE phone_numbers SET category_id = $1 WHERE id = $2', { bind: [to.id, filed.id] });
    expect((await lookupB(number)).category).toBe('Cache after kill');

    const deadline = Date.now() + 5000;
    while (!(cacheA.live && cacheB.live) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cacheB.live).toBe(true);
    expect((await lookupB(number)).category).toBe('Cache after kill');
  });
});

describe('a notification connection that dies silently', () => {
  it('when it stops answering without an error, then the cache is bypassed within about 1.5 s, and comes back once it can connect', async () => {
    const target = new URL(a.db.url);
    const relay = await startTcpRelay(target.hostname, Number(target.port));
    const throughRelay = new URL(a.db.url);
    throughRelay.host = `127.0.0.1:${relay.port}`;
    const cache = new LookupCache({ databaseUrl: throughRelay.toString(), maxEntries: 10 });
    try {
      await cache.start();
      expect(cache.live).toBe(true);
      const snapshot = cache.snapshot();
      cache.set('+6281200000000', null, snapshot);
      expect(cache.get('+6281200000000')).toBeNull();

      relay.blackHole();
      const silentSince = performance.now();
      while (cache.live && performance.now() - silentSince < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(cache.live).toBe(false);
      expect(performance.now() - silentSince).toBeLessThan(2000);
      // Bypassed: nothing cached is answered while it is down.
      expect(cache.get('+6281200000000')).toBeUndefined();

      relay.restore();
      const deadline = performance.now() + 5000;
      while (!cache.live && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(cache.live).toBe(true);
    } finally {
      await cache.close();
      await relay.close();
    }
  });
});

