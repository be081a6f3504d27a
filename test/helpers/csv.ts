import type { TestApp } from './test-app.js';

export interface ImportReportBody {
  id: number;
  status: string;
  rows_total: number;
  inserted: number;
  moved: number;
  duplicates_in_file: number;
  already_present: number;
  invalid: number;
  categories_created: string[];
  errors: Array<{ line: number; value: string; reason: string }>;
  failure: { reason: string; message: string } | null;
  dry_run: boolean;
}

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
