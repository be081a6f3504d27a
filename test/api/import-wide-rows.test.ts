import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmExport, wideHeader } from '../fixtures/wide-rows.js';
import { categoryOf, type ImportReportBody } from '../helpers/csv.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Sends the body in 16 KB pieces, as a socket delivers it (one in-memory piece would hide a stall). */
function postInPieces(body: string) {
  const bytes = Buffer.from(body);
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + 16 * 1024)));
      offset += 16 * 1024;
    },
  });
  return t.request('/v1/imports', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: stream, duplex: 'half' } as RequestInit);
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('POST /v1/imports: wide rows never stall the reader', () => {
  it('when 6,000 CRM rows of ~235 bytes (1.4 MB) arrive, then every row is filed', async () => {
    const { csv, numbers } = crmExport(6000, 235, 6_281_260_000_000);
    expect(csv.length).toBeGreaterThan(1_350_000);
    const response = await postInPieces(csv);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'completed', rows_total: 6000, inserted: 6000, invalid: 0 });
    expect(await categoryOf(t, numbers[5999]!)).toBe('Lead');
  }, 60_000);

  it('when rows are 2 KB each (12 MB in the first 6,000 rows), then every row is filed', async () => {
    const { csv, numbers } = crmExport(6000, 2048, 6_281_261_000_000);
    const response = await postInPieces(csv);
    expect(await response.json()).toMatchObject({ status: 'completed', rows_total: 6000, inserted: 6000 });
    expect(await categoryOf(t, numbers[0]!)).toBe('Lead');
  }, 60_000);

  it('when the header line is 64 KB long, then it is read and the rows filed', async () => {
    const header = wideHeader(64 * 1024);
    expect(header.length).toBeGreaterThanOrEqual(64 * 1024);
    const rows = Array.from({ length: 3000 }, (_, i) => `0812620${String(i).padStart(5, '0')},Prospek`);
    const response = await postInPieces(`${header}\n${rows.join('\n')}\n`);
    // Streamed in pieces, raw; ImportReportBody is the route's own report type.
    const report = (await response.json()) as ImportReportBody;
    expect(report).toMatchObject({ status: 'completed', rows_total: 3000, inserted: 3000 });
    expect(await categoryOf(t, '+6281262002999')).toBe('Prospek');
  }, 60_000);
});
