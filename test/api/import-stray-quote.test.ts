import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, csvFile, postCsv } from '../helpers/csv.js';
import { dashed, e164, uniqueMobile } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { bodyOf } from '../helpers/typed-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** 5,101 lines: a header, 5,100 rows; line 5002 opens a quote that the next quote in the file (line 5003) closes. */
function strayQuoteFile(line5003: string, prefix: string): string {
  const lines = ['name,phone,category'];
  for (let line = 2; line <= 5101; line += 1) {
    if (line === 5002) lines.push('Broken,"0857999,Lead');
    else if (line === 5003) lines.push(line5003);
    else lines.push(`Kontak ${line},${prefix}${String(line).padStart(4, '0')},Lead`);
  }
  return `${lines.join('\n')}\n`;
}

describe('POST /v1/imports: a stray quote never swallows lines', () => {
  it.each([
    // Each run's 5,100 generated rows have a prefix of their own; line 5003's number is the factory's.
    ['a quoted number', `Ani,"${dashed(uniqueMobile())}",Lead`, '0857-8001-'],
    ['a quoted category', `Ani,${dashed(uniqueMobile())},"Lead"`, '0857-8002-'],
  ])('when line 5002 opens a quote and line 5003 holds %s, then 5002 is UNBALANCED_QUOTE (5002–5003) and 5003 is filed on its own', async (_, line5003, prefix) => {
    const lastNumber = e164(`${prefix}5101`);
    const report = await bodyOf(postCsv(t, strayQuoteFile(line5003, prefix)), 201);
    expect(report).toMatchObject({ status: 'completed', rows_total: 5100, inserted: 5099, invalid: 1 });
    expect(report.errors).toEqual([{ line: 5002, value: 'Broken,"0857999,Lead', reason: 'UNBALANCED_QUOTE', last_line: 5003 }]);
    expect(await categoryOf(t, e164(line5003))).toBe('Lead');
    expect(await categoryOf(t, lastNumber)).toBe('Lead');
    const errors = await (await t.request(`/v1/imports/${report.id}/errors.csv`)).text();
    expect(errors).toBe('line,value,reason,last_line\n5002,"Broken,""0857999,Lead",UNBALANCED_QUOTE,5003\n');
    // The next run of the same file files nothing new: every number was accounted for the first time.
    expect(await (await postCsv(t, strayQuoteFile(line5003, prefix))).json()).toMatchObject({ inserted: 0, already_present: 5099 });
  }, 60_000);

  it('when a quoted cell legitimately holds a line break (an address), then it is one row, not a stray quote', async () => {
    const rows = [['phone', 'category', 'address'], [dashed(uniqueMobile()), 'Lead', '"Jl. Merdeka 5\nBandung"'], [dashed(uniqueMobile()), 'Lead', 'x']];
    const report = await bodyOf(postCsv(t, csvFile(rows)), 201);
    expect(report).toMatchObject({ rows_total: 2, inserted: 2, invalid: 0 });
  });
});
