import type { ImportReport } from '../../src/imports/imports.schemas.js';
import type { TestApp } from './test-app.js';
import type { clientAs } from './typed-client.js';

/** The report as the API sends it: the same type the route's schema declares. */
export type ImportReportBody = ImportReport;

/** The import route's answer, typed by status as the typed client would type it. */
export type ImportResponse = Awaited<ReturnType<ReturnType<typeof clientAs>['v1']['imports']['$post']>>;

/**
 * A CSV file's text: cells joined by the separator, a line end after every row. Cells go in as
 * given, so a test quotes one itself where the quoting is the point.
 */
export function csvFile(rows: string[][], options: { separator?: string; lineEnd?: string } = {}): string {
  const { separator = ',', lineEnd = '\n' } = options;
  return rows.map((row) => row.join(separator) + lineEnd).join('');
}

/** POSTs a CSV body (string or bytes) to /v1/imports with the given query. */
export async function postCsv(t: TestApp, body: string | Uint8Array, query = '', contentType = 'text/csv'): Promise<ImportResponse> {
  const payload: BodyInit = typeof body === 'string' ? body : new Blob([new Uint8Array(body)]);
  const response = await t.request(`/v1/imports${query ? `?${query}` : ''}`, { method: 'POST', headers: { 'content-type': contentType }, body: payload });
  // Sent raw, not through the client: the route streams its body and declares only the query and
  // the answer, and these tests write their options as query strings. The answer's type is the route's.
  return response as unknown as ImportResponse;
}

export async function countNumbers(t: TestApp): Promise<number> {
  const [rows] = await t.db.sequelize.query('SELECT count(*)::int AS n FROM phone_numbers');
  return (rows as Array<{ n: number }>)[0]!.n;
}

export async function categoryOf(t: TestApp, normalized: string): Promise<string | null> {
  const [rows] = await t.db.sequelize.query(
    'SELECT c.name FROM phone_numbers p JOIN categories c ON c.id = p.category_id WHERE p.normalized_number = $1',
    { bind: [normalized] },
  );
  return (rows as Array<{ name: string }>)[0]?.name ?? null;
}
