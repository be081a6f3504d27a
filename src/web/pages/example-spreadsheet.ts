import { Hono } from 'hono';
import { listCategories } from '../../categories/categories.service.js';
import { csvCell } from '../../csv-export/csv-cell.js';
import type { AppEnv } from '../../http/router.js';
import { wordsFor } from '../i18n/words.js';
import { consoleHeaders, signedIn } from '../session.js';

/** Written the many ways staff write numbers: the importer reads every one of them. */
const EXAMPLE_ROWS = [
  ['Budi Santoso', '0812-3456-7890'],
  ['Siti Rahayu', '+62 813 1234 5678'],
  ['Agus Wijaya', '6285712345678'],
  ['Dewi Lestari', '0821 9876 5432'],
] as const;

/**
 * A spreadsheet to start from, linked from the empty dashboard and the import page. Its headers are
 * the Indonesian ones the importer knows (nama, nomor, kategori) and its categories are this
 * service's own, so importing it as it is works.
 */
export const exampleSpreadsheetRoutes = new Hono<AppEnv>().get('/example.csv', consoleHeaders, signedIn('staff'), async (c) => {
  const categories = (await listCategories(c.get('ctx'))).map((category) => category.name);
  const pick = (index: number) => categories[index % Math.max(1, categories.length)] ?? 'Prospek';
  const lines = [['nama', 'nomor', 'kategori'], ...EXAMPLE_ROWS.map(([name, number], index) => [name, number, pick(index)])];
  const csv = lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const filename = wordsFor(c).locale === 'id' ? 'contoh-kontak.csv' : 'example-contacts.csv';
  return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` });
});
