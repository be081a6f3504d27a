import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { LookupCache } from '../../src/lookup/lookup-cache.js';
import { postCsv } from '../helpers/csv.js';
import { fileNumber, makeCategory, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyIf, bodyOf, clientAs } from '../helpers/typed-client.js';
import { eventually } from '../helpers/time-until.js';

// The app under test runs with a lookup cache, like the server; a second app with its own cache
// plays a second API process on the same database.
let t: TestApp;
let cacheA: LookupCache;
let cacheB: LookupCache;
let appB: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestApp();
  cacheA = new LookupCache({ databaseUrl: t.db.url, maxEntries: 1000 });
  cacheB = new LookupCache({ databaseUrl: t.db.url, maxEntries: 1000 });
  await Promise.all([cacheA.start(), cacheB.start()]);
  t = { ...t, app: createApp({ sequelize: t.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), lookupCache: cacheA }) };
  appB = createApp({ sequelize: t.db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), lookupCache: cacheB });
});
afterAll(async () => {
  await cacheA.close();
  await cacheB.close();
  await t.db.drop();
});

let lidSequence = 0;
function uniqueLid(): string {
  lidSequence += 1;
  return `${String(Date.now()).slice(-9)}${String(lidSequence).padStart(6, '0')}@lid`;
}

const e164 = (national: string) => `+62${national.slice(1)}`;
const lookup = (id: string, alt?: string) =>
  clientAs(t, 'bot').v1.lookup[':number'].$get({ param: { number: encodeURIComponent(id) }, query: alt ? { alt } : {} });
const teach = (pairs: Array<{ id: string; phone: string }>, as: 'bot' | 'staff' | 'admin' = 'bot') =>
  t.request('/v1/identities', { method: 'POST', json: { pairs }, as });

async function filedNumber(categoryName?: string) {
  const category = await makeCategory(t, categoryName);
  const number = uniqueMobile();
  const filed = await fileNumber(t, number, category.id);
  return { category, number, filed };
}

const within1s = (check: () => Promise<boolean>) => eventually(check, 1000);

describe('reading ids', () => {
  it.each([
    ['123456789012345@lid', 'lid', '123456789012345@lid'],
    ['123456789012345:7@lid', 'lid', '123456789012345@lid'],
    ['123456789012345@hosted.lid', 'lid', '123456789012345@hosted.lid'],
    ['ID.1349120865530274191', 'bsuid', 'ID.1349120865530274191'],
  ])('when %s is normalized, then it is a %s, not valid, with no number', async (input, kind, id) => {
    const response = await t.request(`/v1/normalize?number=${encodeURIComponent(input)}`, { as: 'bot' });
    expect(await response.json()).toEqual({ input, valid: false, kind, id, normalized_number: null, type: null, region: null, reason: 'NOT_A_PHONE_ID' });
  });

  it('when a phone form is normalized, then its kind is phone', async () => {
    const response = await t.request('/v1/normalize?number=08123456789', { as: 'bot' });
    expect(await response.json()).toMatchObject({ valid: true, kind: 'phone', normalized_number: '+628123456789' });
  });

  it.each(['120363025246125486@g.us', 'status@broadcast', '120363144038483540@newsletter'])('when %s is looked up, then it is still refused', async (id) => {
    const response = await lookup(id);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_NUMBER', details: { reason: 'NOT_A_PHONE_ID' } } });
  });
});

describe('answering', () => {
  it('when an id is unknown, then 404 UNRESOLVED_IDENTITY with the id and kind; an unfiled number is NOT_FOUND', async () => {
    const lid = uniqueLid();
    const unknown = await lookup(lid.replace('@lid', ':12@lid'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNRESOLVED_IDENTITY', details: { id: lid, kind: 'lid' } } });
    const bsuid = await lookup('BR.998877665544332211');
    expect(await bsuid.json()).toMatchObject({ error: { code: 'UNRESOLVED_IDENTITY', details: { id: 'BR.998877665544332211', kind: 'bsuid' } } });
    const unfiled = await lookup('6289999999998@s.whatsapp.net');
    expect(await unfiled.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: { normalized_number: '+6289999999998' } } });
  });

  it('when a lookup carries alt, then the pair is learned and answered, and later lookups by the id alone find it (after a cached miss)', async () => {
    const { category, number, filed } = await filedNumber();
    const lid = uniqueLid();
    expect((await lookup(lid)).status).toBe(404); // cached as unknown
    const taught = await lookup(lid, `${e164(number).slice(1)}@s.whatsapp.net`);
    expect(taught.status).toBe(200);
    expect(await taught.json()).toEqual({
      normalized_number: e164(number),
      category: { id: category.id, name: category.name },
      phone_number_id: filed.id,
      resolved_from: 'lid',
      name: null,
    });
    await within1s(async () => (await lookup(lid.replace('@lid', ':3@lid'))).status === 200);
    // Baileys v7 gives the pair the other way round too: the phone as the id, the LID as alt.
    const other = uniqueLid();
    expect((await lookup(number, other)).status).toBe(200);
    await within1s(async () => (await lookup(other)).status === 200);
  });

  it('when a known id points at an unfiled number, then NOT_FOUND with that number', async () => {
    const lid = uniqueLid();
    await teach([{ id: lid, phone: '6289999999997' }]);
    const response = await lookup(lid);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: { normalized_number: '+6289999999997', resolved_from: 'lid' } } });
  });

  it('when a batch mixes numbers, ids with alt, known, unknown and refused ids, then each gets its answer in order', async () => {
    const { category, number, filed } = await filedNumber();
    const second = await filedNumber();
    const known = uniqueLid();
    await teach([{ id: known, phone: second.number }]);
    const learned = 'ID.5550001' + String(Date.now()).slice(-8);
    const unknown = uniqueLid();
    const { results } = await bodyOf(
      clientAs(t, 'bot').v1.lookup.$post({ json: { numbers: [number, { id: learned, alt: number }, known, { id: unknown }, '120363025246125486@g.us'] } }),
      200,
    );
    expect(results.map((r) => [r.input, r.resolved_from, r.reason, r.phone_number_id])).toEqual([
      [number, 'phone', null, filed.id],
      [learned, 'bsuid', null, filed.id],
      [known, 'lid', null, second.filed.id],
      [unknown, 'lid', 'UNRESOLVED_IDENTITY', null],
      ['120363025246125486@g.us', null, 'NOT_A_PHONE_ID', null],
    ]);
    expect(results[1]).toMatchObject({ normalized_number: e164(number), category: { id: category.id } });
    const stored = await t.request(`/v1/identities/${encodeURIComponent(learned)}`, { as: 'bot' });
    expect(await stored.json()).toMatchObject({ id: learned, kind: 'bsuid', normalized_number: e164(number) });
  });
});

describe('POST /v1/identities', () => {
  it('when pairs are sent, then valid ones are stored, replays are unchanged, bad ones rejected by index', async () => {
    const { number } = await filedNumber();
    const lid = uniqueLid();
    const body = [
      { id: lid, phone: number },
      { id: 'not an id', phone: number },
      { id: uniqueLid(), phone: '123@lid' },
      { id: 'ID.77712345', phone: `+${e164(number).slice(1)}` },
    ];
    const first = await teach(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      stored: 2,
      unchanged: 0,
      rejected: [
        { index: 1, reason: 'NOT_AN_IDENTITY' },
        { index: 2, reason: 'NOT_A_PHONE_NUMBER' },
      ],
    });
    expect(await (await teach(body)).json()).toMatchObject({ stored: 0, unchanged: 2 });
    expect((await lookup(lid)).status).toBe(200);
  });

  it('when an id is taught another number, then the latest wins and the change is audited', async () => {
    const first = await filedNumber('Identity first');
    const second = await filedNumber('Identity second');
    const lid = uniqueLid();
    await teach([{ id: lid, phone: first.number }]);
    expect(await (await lookup(lid)).json()).toMatchObject({ category: { name: 'Identity first' } });
    // Within one batch too, the last pair for an id wins.
    expect(await (await teach([{ id: lid, phone: first.number }, { id: lid, phone: second.number }])).json()).toMatchObject({ stored: 1 });
    await within1s(async () => (await bodyIf(lookup(lid), 200))?.category.name === 'Identity second');
    const [audit] = await t.db.sequelize.query(
      `SELECT action, old_value, new_value FROM audit_log WHERE entity_type = 'sender_identity' AND new_value->>'id' = $1 ORDER BY id`,
      { bind: [lid] },
    );
    expect(audit).toEqual([
      { action: 'identity.learn', old_value: null, new_value: { id: lid, normalized_number: e164(first.number) } },
      { action: 'identity.change', old_value: { id: lid, normalized_number: e164(first.number) }, new_value: { id: lid, normalized_number: e164(second.number) } },
    ]);
  });

  it('when 10,000 pairs come in one request, then all are stored; 10,001 is refused', async () => {
    const base = 800_000_000_000_000 + (Date.now() % 1_000_000) * 1000;
    const pairs = Array.from({ length: 10_000 }, (_, i) => ({ id: `${base + i}@lid`, phone: `+62812${String(10_000_000 + i)}` }));
    const response = await teach(pairs);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 10_000, unchanged: 0, rejected: [] });
    expect((await teach([...pairs, pairs[0]!])).status).toBe(400);
  });

  it('roles: a bot teaches and reads but cannot delete; staff deletes, audited', async () => {
    const { number } = await filedNumber();
    const lid = uniqueLid();
    expect((await teach([{ id: lid, phone: number }], 'bot')).status).toBe(200);
    expect((await t.request(`/v1/identities/${lid}`, { as: 'bot' })).status).toBe(200);
    expect((await t.request(`/v1/identities/${lid}`, { method: 'DELETE', as: 'bot' })).status).toBe(403);
    expect((await t.request(`/v1/identities/${lid}`, { method: 'DELETE', as: 'staff' })).status).toBe(204);
    expect((await t.request(`/v1/identities/${lid}`, { as: 'bot' })).status).toBe(404);
    await within1s(async () => (await lookup(lid)).status === 404);
    expect((await t.request(`/v1/identities/${lid}`, { method: 'DELETE', as: 'staff' })).status).toBe(404);
    expect((await t.request('/v1/identities/not-an-id', { as: 'bot' })).status).toBe(400);
    const [[row]] = (await t.db.sequelize.query(
      `SELECT actor FROM audit_log WHERE action = 'identity.forget' AND old_value->>'id' = $1`,
      { bind: [lid] },
    )) as [Array<{ actor: string }>, unknown];
    expect(row?.actor).toBe('test staff');
  });
});

describe('imports with identity columns', () => {
  it('when a file has lid / whatsapp_lid / bsuid / user_id columns, then each valid pair is remembered with the row\'s number; junk in them is ignored', async () => {
    const category = await makeCategory(t, 'Imported identities');
    const [a, b, c] = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const [lidA, lidB] = [uniqueLid(), uniqueLid()];
    const csv = [
      'phone;nama;whatsapp_lid;user_id',
      `${a};Budi;${lidA.replace('@lid', ':9@lid')};ID.7000111222333`,
      `${b};Sari;${lidB};`,
      `${c};Andi;not-a-lid;12345`,
      `junk;Nobody;${uniqueLid()};`,
    ].join('\r\n');
    const response = await postCsv(t, csv, `category=${encodeURIComponent(category.name)}`);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 3, invalid: 1 });
    const answer = async (id: string) => (await bodyIf(lookup(id), 200))?.normalized_number;
    expect(await answer(lidA)).toBe(e164(a));
    expect(await answer('ID.7000111222333')).toBe(e164(a));
    expect(await answer(lidB)).toBe(e164(b));
    const record = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search: c } }), 200);
    const detail = await bodyOf(clientAs(t).v1['phone-numbers'][':id'].$get({ param: { id: String(record.items[0]!.id) } }), 200);
    expect(detail.identities).toEqual([]);
  });

  it('when the import is a dry run, then no pair is remembered', async () => {
    const lid = uniqueLid();
    const response = await postCsv(t, `phone,lid\n${uniqueMobile()},${lid}\n`, 'dry_run=true&category=Dry&create_categories=true');
    expect(response.status).toBe(201);
    expect((await t.request(`/v1/identities/${lid}`)).status).toBe(404);
  });
});

describe('people see identities', () => {
  it('when a number has ids, then its record lists them and searching an id finds it', async () => {
    const { filed, number } = await filedNumber();
    const lid = uniqueLid();
    await teach([{ id: lid, phone: number }, { id: 'ID.4242424242', phone: number }]);
    const record = await bodyOf(clientAs(t, 'staff').v1['phone-numbers'][':id'].$get({ param: { id: String(filed.id) } }), 200);
    expect(record.identities.map((i) => [i.id, i.kind]).sort()).toEqual([[lid, 'lid'], ['ID.4242424242', 'bsuid']].sort());
    for (const query of [lid, lid.replace('@lid', ':5@lid'), 'id.4242424242']) {
      const page = await bodyOf(clientAs(t).v1['phone-numbers'].$get({ query: { search: query } }), 200);
      expect(page.items[0]?.id, query).toBe(filed.id);
    }
  });

  it('when a person signs in to the console, then the number page lists its ids and the search box finds the number by an id', async () => {
    const { filed, number } = await filedNumber();
    const lid = uniqueLid();
    await teach([{ id: lid, phone: number }]);
    const origin = 'http://localhost';
    const signIn = await t.app.request(`${origin}/sign-in`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: t.keys.staff, next: '/search' }).toString(),
    });
    const cookie = (signIn.headers.getSetCookie()[0] ?? '').split(';')[0]!;
    const page = await t.app.request(`${origin}/numbers/${filed.id}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<code>${lid}</code>`);
    const search = await t.app.request(`${origin}/search?q=${encodeURIComponent(lid)}`, { headers: { cookie } });
    expect(await search.text()).toContain(`/numbers/${filed.id}`);
  });

  it('when a number is deleted, or its category with cascade, then its identities go too', async () => {
    const one = await filedNumber();
    const two = await filedNumber();
    const lidOne = uniqueLid();
    const lidTwo = uniqueLid();
    await teach([{ id: lidOne, phone: one.number }, { id: lidTwo, phone: two.number }]);
    expect((await t.request(`/v1/phone-numbers/${one.filed.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/v1/identities/${lidOne}`, { as: 'bot' })).status).toBe(404);
    expect((await t.request(`/v1/categories/${two.category.id}?cascade=true`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.request(`/v1/identities/${lidTwo}`, { as: 'bot' })).status).toBe(404);
    const answer = await lookup(lidTwo);
    expect(await answer.json()).toMatchObject({ error: { code: 'UNRESOLVED_IDENTITY' } });
  });
});

describe('coherence across processes', () => {
  it('when B has cached an unknown id and A learns it, then B answers it within 1 s; a change and a delete reach B too', async () => {
    const first = await filedNumber('Coherence first');
    const second = await filedNumber('Coherence second');
    const lid = uniqueLid();
    const askB = async () => {
      const response = await clientAs({ ...t, app: appB }, 'bot').v1.lookup[':number'].$get({ param: { number: encodeURIComponent(lid) }, query: {} });
      return { status: response.status, body: await bodyIf(response, 200) };
    };
    expect((await askB()).status).toBe(404);
    await teach([{ id: lid, phone: first.number }]);
    await within1s(async () => (await askB()).body?.category.name === 'Coherence first');
    await teach([{ id: lid, phone: second.number }]);
    await within1s(async () => (await askB()).body?.category.name === 'Coherence second');
    await t.request(`/v1/identities/${lid}`, { method: 'DELETE', as: 'staff' });
    await within1s(async () => (await askB()).status === 404);
  });
});
