import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbookBytes } from '../fixtures/workbook.js';
import { categoryOf, postCsv } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf } from '../helpers/typed-client.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function nameOf(number: string): Promise<string | null> {
  const [rows] = await t.db.sequelize.query('SELECT name FROM phone_numbers WHERE normalized_number = $1', { bind: [number] });
  return (rows as Array<{ name: string | null }>)[0]?.name ?? null;
}

// The same numbers for every copy of the workbook: the tests send it more than once.
const [BUDI, SITI, DEWI, ARCHIVED] = [uniqueMobile(), uniqueMobile(), uniqueMobile(), uniqueMobile()];

async function contacts() {
  return workbookBytes({
    Kontak: [
      ['Nama', 'No HP', 'Kategori'],
      ['Budi', Number(e164(BUDI).slice(1)), 'Lead'], // a number cell: 13 digits, which Excel shows as 6.28127E+12
      ['Siti', dashed(SITI), 'Prospek'], // a text cell, typed with its leading zero
      ['Agus', new Date(Date.UTC(2024, 0, 15)), 'Lead'], // a date where the number should be
      [null, null, null],
      ['Dewi', Number(DEWI), 'Lead'], // a number cell that lost its leading zero, as Excel does
    ],
    Arsip: [
      ['phone', 'category'],
      [dashed(ARCHIVED), 'Prospek'],
    ],
  });
}

describe('POST /v1/imports: .xlsx workbooks', () => {
  it('when a workbook is sent, then number cells keep every digit, text cells are as typed, a date is an invalid row, lines are row numbers', async () => {
    const report = await bodyOf(postCsv(t, await contacts(), 'filename=kontak.xlsx', XLSX), 201);
    expect(report).toMatchObject({ status: 'completed', filename: 'kontak.xlsx', rows_total: 4, inserted: 3, invalid: 1 });
    expect(report.errors).toEqual([{ line: 4, value: '2024-01-15', reason: 'NOT_A_NUMBER' }]);
    expect(await categoryOf(t, e164(BUDI))).toBe('Lead');
    expect(await categoryOf(t, e164(SITI))).toBe('Prospek');
    expect(await categoryOf(t, e164(DEWI))).toBe('Lead');
    expect(await nameOf(e164(BUDI))).toBe('Budi');
    // Only the first sheet is read unless one is named.
    expect(await categoryOf(t, e164(ARCHIVED))).toBeNull();
  });

  it('when sheet= names the second sheet (in a multipart form, named *.xlsx), then that sheet is read', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await contacts())]), 'kontak.xlsx');
    const response = await t.request('/v1/imports?sheet=arsip', { method: 'POST', body: form });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ rows_total: 1, inserted: 1 });
    expect(await categoryOf(t, e164(ARCHIVED))).toBe('Prospek');
  });

  it('when the sheet does not exist or the bytes are not a workbook, then the file fails and nothing changes', async () => {
    const missing = await postCsv(t, await contacts(), 'sheet=Nope', XLSX);
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ error: { details: { reason: 'NO_SUCH_SHEET', sheets: ['Kontak', 'Arsip'] } } });
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const notWorkbook = await postCsv(t, broken, '', XLSX);
    expect(notWorkbook.status).toBe(422);
    expect(await notWorkbook.json()).toMatchObject({ error: { details: { reason: 'NOT_XLSX' } } });
  });
});
