import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, countNumbers, postCsv } from '../helpers/csv.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ importMaxBytes: 64 * 1024 });
});
afterAll(() => t.close());

describe('POST /v1/imports: reading files as spreadsheets write them', () => {
  it('when a semicolon file has a BOM, CRLF line ends and Indonesian headers, then every row is filed', async () => {
    const csv = '\uFEFFNama;No HP;Kategori\r\nBudi;0812-7000-0001;Prospek\r\nSiti;"+62 812 7000 0002";Lead\r\nAgus;6281270000003@s.whatsapp.net;pelanggan vip\r\n';
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ status: 'completed', rows_total: 3, inserted: 3, invalid: 0, duplicates_in_file: 0 });
    expect(await categoryOf(t, '+6281270000001')).toBe('Prospek');
    expect(await categoryOf(t, '+6281270000003')).toBe('Pelanggan VIP');
  });

  it('when the file is UTF-16 with a BOM and tab-separated, then it is read', async () => {
    const bytes = Buffer.from('\uFEFFtelepon\tkategori\r\n0812 7000 0101\tLead\r\n', 'utf16le');
    const response = await postCsv(t, bytes);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 1 });
  });

  it('when a row is invalid or a duplicate, then it is reported with its line and reason, and the first row wins', async () => {
    const csv = [
      'phone,category',
      '0812-7000-0201,Lead',
      '0812,Lead',
      '+62 812 7000 0201,Prospek',
      '0812-7000-0202,No Such Category',
      '120363025246125486@g.us,Lead',
      '0812-7000-0203,',
    ].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 6, inserted: 1, duplicates_in_file: 1, invalid: 4 });
    expect(report.errors).toEqual([
      { line: 3, value: '0812', reason: 'TOO_SHORT' },
      { line: 5, value: '0812-7000-0202', reason: 'UNKNOWN_CATEGORY' },
      { line: 6, value: '120363025246125486@g.us', reason: 'NOT_A_PHONE_ID' },
      { line: 7, value: '0812-7000-0203', reason: 'NO_CATEGORY' },
    ]);
    expect(await categoryOf(t, '+6281270000201')).toBe('Lead');

    const errors = await t.request(`/v1/imports/${report.id}/errors.csv`);
    expect(errors.headers.get('content-type')).toContain('text/csv');
    expect(await errors.text()).toBe(
      'line,value,reason,last_line\n3,0812,TOO_SHORT,\n5,0812-7000-0202,UNKNOWN_CATEGORY,\n6,120363025246125486@g.us,NOT_A_PHONE_ID,\n7,0812-7000-0203,NO_CATEGORY,\n',
    );
  });

  it('when the category is given for the whole file, then rows without their own use it', async () => {
    const response = await postCsv(t, 'hp,kategori\n0812-7000-0301,\n0812-7000-0302,Lead\n', 'category=Prospek');
    expect(await response.json()).toMatchObject({ inserted: 2, invalid: 0 });
    expect(await categoryOf(t, '+6281270000301')).toBe('Prospek');
    expect(await categoryOf(t, '+6281270000302')).toBe('Lead');
  });

  it('when the category is for every row, then even rows naming another category go there; without a category, 400', async () => {
    const response = await postCsv(t, 'hp,kategori\n0812-7000-0311,\n0812-7000-0312,Lead\n0812-7000-0313,No Such Category\n', 'category=Prospek&category_for_every_row=true');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 3, invalid: 0, category: 'Prospek', category_for_every_row: true });
    for (const number of ['+6281270000311', '+6281270000312', '+6281270000313']) expect(await categoryOf(t, number)).toBe('Prospek');

    const refused = await postCsv(t, 'hp\n0812-7000-0314\n', 'category_for_every_row=true');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'category' } } });
    expect(await categoryOf(t, '+6281270000314')).toBeNull();
  });

  it('when create_categories is given, then unknown category names are created, once, whatever their case', async () => {
    const response = await postCsv(t, 'wa,category\n0812-7000-0401,Reseller Jawa\n0812-7000-0402,RESELLER JAWA\n', 'create_categories=true');
    expect(await response.json()).toMatchObject({ inserted: 2, categories_created: ['Reseller Jawa'] });
    expect(await categoryOf(t, '+6281270000402')).toBe('Reseller Jawa');
  });

  it('when staff ask to create categories, then 403: admins own the category list', async () => {
    const response = await t.request('/v1/imports?create_categories=true', {
      method: 'POST',
      as: 'staff',
      headers: { 'content-type': 'text/csv' },
      body: 'phone,category\n0812-7000-0451,Brand New\n',
    });
    expect(response.status).toBe(403);
  });

  it('when the same file is imported again, then nothing is inserted and everything is already present', async () => {
    const csv = 'phone,category\n0812-7000-0501,Lead\n0812-7000-0502,Lead\n';
    expect(await (await postCsv(t, csv)).json()).toMatchObject({ inserted: 2 });
    expect(await (await postCsv(t, csv)).json()).toMatchObject({ inserted: 0, already_present: 2 });
  });

  it('when on_duplicate=move, then filed numbers move to the file category; with skip they stay', async () => {
    await postCsv(t, 'phone,category\n0812-7000-0601,Lead\n0812-7000-0602,Lead\n');
    const skip = await bodyOf(postCsv(t, 'phone\n0812-7000-0601\n', 'category=Prospek'), 201);
    expect(skip).toMatchObject({ moved: 0, already_present: 1 });
    expect(await categoryOf(t, '+6281270000601')).toBe('Lead');

    const move = await bodyOf(postCsv(t, 'phone\n0812-7000-0601\n0812-7000-0602\n', 'category=Lead&on_duplicate=move'), 201);
    expect(move).toMatchObject({ moved: 0, already_present: 2 });
    const moved = await bodyOf(postCsv(t, 'phone\n0812-7000-0601\n+6281270000601\n', 'category=Prospek&on_duplicate=move'), 201);
    expect(moved).toMatchObject({ moved: 1, already_present: 0, duplicates_in_file: 1 });
    expect(await categoryOf(t, '+6281270000601')).toBe('Prospek');
  });

  it('when dry_run=true, then the report says what would happen and nothing is written', async () => {
    const before = await countNumbers(t);
    const report = await bodyOf(postCsv(t, 'phone,category\n0812-7000-0701,Lead\n0812-7000-0701,Lead\nxx,Lead\n', 'dry_run=true'), 201);
    expect(report).toMatchObject({ dry_run: true, status: 'completed', inserted: 1, duplicates_in_file: 1, invalid: 1 });
    expect(await countNumbers(t)).toBe(before);
  });
});

describe('POST /v1/imports: both upload forms', () => {
  it('when the file comes as multipart/form-data, then it is imported the same way', async () => {
    const form = new FormData();
    form.append('on_duplicate', 'skip');
    form.append('file', new Blob(['phone,category\n0812-7000-0801,Lead\n'], { type: 'text/csv' }), 'contacts.csv');
    const response = await t.request('/v1/imports?category=Lead', { method: 'POST', body: form });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 1, filename: 'contacts.csv' });
  });

  it('when the form has no file field, then 400', async () => {
    const form = new FormData();
    form.append('category', 'Lead');
    const response = await t.request('/v1/imports', { method: 'POST', body: form });
    expect(response.status).toBe(400);
  });

  it('when the body is JSON, then 415', async () => {
    const response = await t.request('/v1/imports', { method: 'POST', json: { numbers: [] } });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });
});

describe('POST /v1/imports: file-level failures change nothing', () => {
  const failures: Array<[string, string | Uint8Array, string]> = [
    ['no phone column', 'nama,email\nBudi,budi@example.com\n', 'NO_PHONE_COLUMN'],
    ['an unclosed quote', 'phone,category\n0812-7000-0901,Lead\n"0812-7000-0902,Lead\n0812-7000-0903,Lead\n', 'MALFORMED_CSV'],
    ['random bytes', new Uint8Array(randomBytes(4096)), 'NOT_TEXT'],
    ['an empty body', '', 'EMPTY_FILE'],
  ];

  it.each(failures)('when the file has %s, then 422 with a clear message, a failed report and no rows written', async (_what, body, reason) => {
    const before = await countNumbers(t);
    const { error } = await bodyOf(postCsv(t, body), 422);
    // The envelope's details are free-form (each error says its own); an import's failure carries these two.
    const details = error.details as { reason: string; import_id: number };
    expect(details.reason).toBe(reason);
    expect(error.message.length).toBeGreaterThan(10);
    expect(await countNumbers(t)).toBe(before);
    const report = await bodyOf(clientAs(t).v1.imports[':id'].$get({ param: { id: String(details.import_id) } }), 200);
    expect(report).toMatchObject({ status: 'failed', inserted: 0, failure: { reason } });
  });

  it('when the whole-file category does not exist, then 422 and nothing is written', async () => {
    const response = await postCsv(t, 'phone\n0812-7000-1001\n', 'category=Nope');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { details: { reason: 'UNKNOWN_CATEGORY' } } });
  });

  it('when the file is over the size limit, then 413 and nothing is written', async () => {
    const before = await countNumbers(t);
    const rows = Array.from({ length: 5000 }, (_, i) => `0813${String(50_000_000 + i)},Lead`).join('\n');
    const big = `phone,category\n${rows}\n`;
    const declared = await postCsv(t, big);
    expect(declared.status).toBe(413);
    // Without a Content-Length the limit is enforced while streaming.
    const stream = new Blob([big]).stream();
    const streamed = await t.request('/v1/imports', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await countNumbers(t)).toBe(before);
  });
});

describe('GET /v1/imports', () => {
  it('when listed, then the newest import comes first, and a missing one is 404', async () => {
    const report = await bodyOf(postCsv(t, 'phone,category\n0812-7000-1101,Lead\n'), 201);
    const list = await bodyOf(clientAs(t).v1.imports.$get({ query: { limit: '5' } }), 200);
    expect(list.items[0]).toMatchObject({ id: report.id, status: 'completed' });
    expect((await t.request('/v1/imports/999999')).status).toBe(404);
    expect((await t.request('/v1/imports/999999/errors.csv')).status).toBe(404);
  });
});
