import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, countNumbers, csvFile, postCsv } from '../helpers/csv.js';
import { dashed, e164, international, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf, clientAs } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ importMaxBytes: 64 * 1024 });
});
afterAll(() => t.close());

describe('POST /v1/imports: reading files as spreadsheets write them', () => {
  it('when a semicolon file has a BOM, CRLF line ends and Indonesian headers, then every row is filed', async () => {
    const [budi, siti, agus] = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const rows = [['Nama', 'No HP', 'Kategori'], ['Budi', dashed(budi), 'Prospek'], ['Siti', `"${international(siti)}"`, 'Lead'], ['Agus', `${e164(agus).slice(1)}@s.whatsapp.net`, 'pelanggan vip']];
    const csv = `\uFEFF${csvFile(rows, { separator: ';', lineEnd: '\r\n' })}`;
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ status: 'completed', rows_total: 3, inserted: 3, invalid: 0, duplicates_in_file: 0 });
    expect(await categoryOf(t, e164(budi))).toBe('Prospek');
    expect(await categoryOf(t, e164(agus))).toBe('Pelanggan VIP');
  });

  it('when the file is UTF-16 with a BOM and tab-separated, then it is read', async () => {
    const bytes = Buffer.from(`\uFEFF${csvFile([['telepon', 'kategori'], [dashed(uniqueMobile(), ' '), 'Lead']], { separator: '\t', lineEnd: '\r\n' })}`, 'utf16le');
    const response = await postCsv(t, bytes);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 1 });
  });

  it('when a row is invalid or a duplicate, then it is reported with its line and reason, and the first row wins', async () => {
    const [filed, unknownCategory, noCategory] = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const csv = csvFile([
      ['phone', 'category'],
      [dashed(filed), 'Lead'],
      ['0812', 'Lead'],
      [international(filed), 'Prospek'],
      [dashed(unknownCategory), 'No Such Category'],
      ['120363025246125486@g.us', 'Lead'],
      [dashed(noCategory), ''],
    ]).trimEnd();
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 6, inserted: 1, duplicates_in_file: 1, invalid: 4 });
    expect(report.errors).toEqual([
      { line: 3, value: '0812', reason: 'TOO_SHORT' },
      { line: 5, value: dashed(unknownCategory), reason: 'UNKNOWN_CATEGORY' },
      { line: 6, value: '120363025246125486@g.us', reason: 'NOT_A_PHONE_ID' },
      { line: 7, value: dashed(noCategory), reason: 'NO_CATEGORY' },
    ]);
    expect(await categoryOf(t, e164(filed))).toBe('Lead');

    const errors = await t.request(`/v1/imports/${report.id}/errors.csv`);
    expect(errors.headers.get('content-type')).toContain('text/csv');
    expect(await errors.text()).toBe(
      `line,value,reason,last_line\n3,0812,TOO_SHORT,\n5,${dashed(unknownCategory)},UNKNOWN_CATEGORY,\n6,120363025246125486@g.us,NOT_A_PHONE_ID,\n7,${dashed(noCategory)},NO_CATEGORY,\n`,
    );
  });

  it('when the category is given for the whole file, then rows without their own use it', async () => {
    const [withoutOwn, withOwn] = [uniqueMobile(), uniqueMobile()];
    const response = await postCsv(t, csvFile([['hp', 'kategori'], [dashed(withoutOwn), ''], [dashed(withOwn), 'Lead']]), 'category=Prospek');
    expect(await response.json()).toMatchObject({ inserted: 2, invalid: 0 });
    expect(await categoryOf(t, e164(withoutOwn))).toBe('Prospek');
    expect(await categoryOf(t, e164(withOwn))).toBe('Lead');
  });

  it('when the category is for every row, then even rows naming another category go there; without a category, 400', async () => {
    const numbers = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const rows = [['hp', 'kategori'], [dashed(numbers[0]!), ''], [dashed(numbers[1]!), 'Lead'], [dashed(numbers[2]!), 'No Such Category']];
    const response = await postCsv(t, csvFile(rows), 'category=Prospek&category_for_every_row=true');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ inserted: 3, invalid: 0, category: 'Prospek', category_for_every_row: true });
    for (const number of numbers) expect(await categoryOf(t, e164(number))).toBe('Prospek');

    const notFiled = uniqueMobile();
    const refused = await postCsv(t, csvFile([['hp'], [dashed(notFiled)]]), 'category_for_every_row=true');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'category' } } });
    expect(await categoryOf(t, e164(notFiled))).toBeNull();
  });

  it('when create_categories is given, then unknown category names are created, once, whatever their case', async () => {
    const [first, second] = [uniqueMobile(), uniqueMobile()];
    const response = await postCsv(t, csvFile([['wa', 'category'], [dashed(first), 'Reseller Jawa'], [dashed(second), 'RESELLER JAWA']]), 'create_categories=true');
    expect(await response.json()).toMatchObject({ inserted: 2, categories_created: ['Reseller Jawa'] });
    expect(await categoryOf(t, e164(second))).toBe('Reseller Jawa');
  });

  it('when staff ask to create categories, then 403: admins own the category list', async () => {
    const response = await t.request('/v1/imports?create_categories=true', {
      method: 'POST',
      as: 'staff',
      headers: { 'content-type': 'text/csv' },
      body: csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Brand New']]),
    });
    expect(response.status).toBe(403);
  });

  it('when the same file is imported again, then nothing is inserted and everything is already present', async () => {
    const csv = csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead'], [dashed(uniqueMobile()), 'Lead']]);
    expect(await (await postCsv(t, csv)).json()).toMatchObject({ inserted: 2 });
    expect(await (await postCsv(t, csv)).json()).toMatchObject({ inserted: 0, already_present: 2 });
  });

  it('when on_duplicate=move, then filed numbers move to the file category; with skip they stay', async () => {
    const [a, b] = [uniqueMobile(), uniqueMobile()];
    await postCsv(t, csvFile([['phone', 'category'], [dashed(a), 'Lead'], [dashed(b), 'Lead']]));
    const skip = await bodyOf(postCsv(t, csvFile([['phone'], [dashed(a)]]), 'category=Prospek'), 201);
    expect(skip).toMatchObject({ moved: 0, already_present: 1 });
    expect(await categoryOf(t, e164(a))).toBe('Lead');

    const move = await bodyOf(postCsv(t, csvFile([['phone'], [dashed(a)], [dashed(b)]]), 'category=Lead&on_duplicate=move'), 201);
    expect(move).toMatchObject({ moved: 0, already_present: 2 });
    const moved = await bodyOf(postCsv(t, csvFile([['phone'], [dashed(a)], [e164(a)]]), 'category=Prospek&on_duplicate=move'), 201);
    expect(moved).toMatchObject({ moved: 1, already_present: 0, duplicates_in_file: 1 });
    expect(await categoryOf(t, e164(a))).toBe('Prospek');
  });

  it('when dry_run=true, then the report says what would happen and nothing is written', async () => {
    const before = await countNumbers(t);
    const twice = dashed(uniqueMobile());
    const report = await bodyOf(postCsv(t, csvFile([['phone', 'category'], [twice, 'Lead'], [twice, 'Lead'], ['xx', 'Lead']]), 'dry_run=true'), 201);
    expect(report).toMatchObject({ dry_run: true, status: 'completed', inserted: 1, duplicates_in_file: 1, invalid: 1 });
    expect(await countNumbers(t)).toBe(before);
  });
});

describe('POST /v1/imports: both upload forms', () => {
  it('when the file comes as multipart/form-data, then it is imported the same way', async () => {
    const form = new FormData();
    form.append('on_duplicate', 'skip');
    form.append('file', new Blob([csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead']])], { type: 'text/csv' }), 'contacts.csv');
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
    ['an unclosed quote', csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead'], [`"${dashed(uniqueMobile())}`, 'Lead'], [dashed(uniqueMobile()), 'Lead']]), 'MALFORMED_CSV'],
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
    const response = await postCsv(t, csvFile([['phone'], [dashed(uniqueMobile())]]), 'category=Nope');
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
    const report = await bodyOf(postCsv(t, csvFile([['phone', 'category'], [dashed(uniqueMobile()), 'Lead']])), 201);
    const list = await bodyOf(clientAs(t).v1.imports.$get({ query: { limit: '5' } }), 200);
    expect(list.items[0]).toMatchObject({ id: report.id, status: 'completed' });
    expect((await t.request('/v1/imports/999999')).status).toBe(404);
    expect((await t.request('/v1/imports/999999/errors.csv')).status).toBe(404);
  });
});
