import type { ImportReport } from '../../src/imports/imports.schemas.js';
import type { TestApp } from './test-app.js';

/** The report as the API sends it: the same type the route's schema declares. */
export type ImportReportBody = ImportReport;

/** POSTs a CSV body (string or bytes) to /v1/imports with the given query. */
export function postCsv(t: TestApp, body: string | Uint8Array, query = '', contentType = 'text/csv') {
  const payload: BodyInit = typeof body === 'string' ? body : new Blob([new Uint8Array(body)]);
  return t.request(`/v1/imports${query ? `?${query}` : ''}`, { method: 'POST', headers: { 'content-type': contentType }, body: payload });
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
