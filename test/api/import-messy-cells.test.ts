import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, postCsv } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('POST /v1/imports: cells as people fill them in', () => {
  it('when a cell holds several numbers (/, ;, atau, a comma, a line break), then each is filed with the row category and counted', async () => {
    const two = () => [dashed(uniqueMobile()), dashed(uniqueMobile())] as const;
    const [budi, siti, agus, dewi, rina] = [two(), two(), two(), two(), two()];
    const csv = [
      'nama,no_hp,kategori',
      `Budi,${budi[0]} / ${budi[1]},Lead`,
      `Siti,${siti[0]}; ${siti[1]},Prospek`,
      `Agus,${agus[0]} atau ${agus[1]},Lead`,
      `Dewi,"${dewi[0]}, ${dewi[1]}",Lead`,
      `Rina,"${rina[0]}\n${rina[1]}",Prospek`,
      'Joko,(021) 555-1234,Lead',
      'Tono,021/5556789,Lead',
    ].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ status: 'completed', rows_total: 7, inserted: 12, invalid: 0, numbers_from_split_cells: 10 });
    expect(await categoryOf(t, e164(budi[1]))).toBe('Lead');
    expect(await categoryOf(t, e164(siti[1]))).toBe('Prospek');
    expect(await categoryOf(t, e164(agus[1]))).toBe('Lead');
    expect(await categoryOf(t, e164(dewi[1]))).toBe('Lead');
    expect(await categoryOf(t, e164(rina[1]))).toBe('Prospek');
    // One number written with a slash in it is one number, never split.
    expect(await categoryOf(t, '+62215556789')).toBe('Lead');
  });

  it('when a cell has a leading apostrophe or a note, then the number is read past them', async () => {
    const numbers = [uniqueMobile(), uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const [apostrophe, note, label, both] = numbers.map((number) => dashed(number));
    const csv = ['phone,category', `'${apostrophe},Lead`, `${note} (WA),Lead`, `WA: ${label},Lead`, `HP: ${both} (kantor),Lead`].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 4, inserted: 4, invalid: 0, numbers_from_split_cells: 0 });
    for (const number of numbers) expect(await categoryOf(t, e164(number))).toBe('Lead');
  });

  it('when a cell is not whole numbers between separators, then it is AMBIGUOUS_CELL; existing reasons stay as they were', async () => {
    const [withTail, withPrefix] = [uniqueMobile(), uniqueMobile()];
    const csv = ['phone,category', `${dashed(withTail)} / 02,Lead`, `${dashed(withPrefix)} / 0812,Lead`, '0812,Lead', 'Budi,Lead'].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 4, inserted: 0, invalid: 4 });
    expect(report.errors).toEqual([
      { line: 2, value: `${dashed(withTail)} / 02`, reason: 'AMBIGUOUS_CELL' },
      { line: 3, value: `${dashed(withPrefix)} / 0812`, reason: 'AMBIGUOUS_CELL' },
      { line: 4, value: '0812', reason: 'TOO_SHORT' },
      { line: 5, value: 'Budi', reason: 'NOT_A_NUMBER' },
    ]);
    expect(await categoryOf(t, e164(withTail))).toBeNull();
  });

  it('when one number of a split cell is invalid, then the others are filed and the line is rejected once with its reason', async () => {
    const cell = `${dashed(uniqueMobile())} / 120363025246125486@g.us`;
    const csv = ['phone,category', `${cell},Lead`].join('\n');
    const report = await bodyOf(postCsv(t, csv), 201);
    expect(report).toMatchObject({ rows_total: 1, inserted: 1, invalid: 1, numbers_from_split_cells: 1 });
    expect(report.errors).toEqual([{ line: 2, value: cell, reason: 'NOT_A_PHONE_ID' }]);
  });
});
