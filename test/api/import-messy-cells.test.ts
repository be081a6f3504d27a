import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, postCsv } from '../helpers/csv.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('POST /v1/imports: cells as people fill them in', () => {
  it('when a cell holds several numbers (/, ;, atau, a comma, a line break), then each is filed with the row category and counted', async () => {
    const csv = [
      'nama,no_hp,kategori',
      'Budi,0812-6500-0001 / 0812-6500-0002,Lead',
      'Siti,0812-6500-0003; 0812-6500-0004,Prospek',
      'Agus,0812-6500-0005 atau 0812-6500-0006,Lead',
      'Dewi,"0812-6500-0007, 0812-6500-0008",Lead',
      'Rina,"0812-6500-0009\n0812-6500-0010",Prospek',
      'Joko,(021) 555-1234,Lead',
      'Tono,021/5556789,Lead',
    ].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ status: 'completed', rows_total: 7, inserted: 12, invalid: 0, numbers_from_split_cells: 10 });
    expect(await categoryOf(t, '+6281265000002')).toBe('Lead');
    expect(await categoryOf(t, '+6281265000004')).toBe('Prospek');
    expect(await categoryOf(t, '+6281265000006')).toBe('Lead');
    expect(await categoryOf(t, '+6281265000008')).toBe('Lead');
    expect(await categoryOf(t, '+6281265000010')).toBe('Prospek');
    // One number written with a slash in it is one number, never split.
    expect(await categoryOf(t, '+62215556789')).toBe('Lead');
  });

  it('when a cell has a leading apostrophe or a note, then the number is read past them', async () => {
    const csv = ["phone,category", "'0812-6501-0001,Lead", '0812-6501-0002 (WA),Lead', 'WA: 0812-6501-0003,Lead', 'HP: 0812-6501-0004 (kantor),Lead'].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 4, inserted: 4, invalid: 0, numbers_from_split_cells: 0 });
    for (const last of ['1', '2', '3', '4']) expect(await categoryOf(t, `+628126501000${last}`)).toBe('Lead');
  });

  it('when a cell is not whole numbers between separators, then it is AMBIGUOUS_CELL; existing reasons stay as they were', async () => {
    const csv = ['phone,category', '0812-6502-0001 / 02,Lead', '0812-6502-0003 / 0812,Lead', '0812,Lead', 'Budi,Lead'].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 4, inserted: 0, invalid: 4 });
    expect(report.errors).toEqual([
      { line: 2, value: '0812-6502-0001 / 02', reason: 'AMBIGUOUS_CELL' },
      { line: 3, value: '0812-6502-0003 / 0812', reason: 'AMBIGUOUS_CELL' },
      { line: 4, value: '0812', reason: 'TOO_SHORT' },
      { line: 5, value: 'Budi', reason: 'NOT_A_NUMBER' },
    ]);
    expect(await categoryOf(t, '+6281265020001')).toBeNull();
  });

  it('when one number of a split cell is invalid, then the others are filed and the line is rejected once with its reason', async () => {
    const csv = ['phone,category', '0812-6503-0001 / 120363025246125486@g.us,Lead'].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 1, inserted: 1, invalid: 1, numbers_from_split_cells: 1 });
    expect(report.errors).toEqual([{ line: 2, value: '0812-6503-0001 / 120363025246125486@g.us', reason: 'NOT_A_PHONE_ID' }]);
  });
});
