import type { ServiceContext } from '../context.js';
import { csvCell } from '../csv-cell.js';
import { NotFoundError } from '../errors.js';
import { findImport, findImports, findRejections, failStaleImports } from './imports.repository.js';
import type { ImportReport } from './imports.schemas.js';

export { importCsv } from '../import/import-csv.js';

export async function getImport(ctx: ServiceContext, id: number): Promise<ImportReport> {
  await failStaleImports(ctx);
  const report = await findImport(ctx, id);
  if (!report) throw new NotFoundError(`Import ${id} does not exist`, { import_id: id });
  return report;
}

export async function listImports(ctx: ServiceContext, limit: number, beforeId?: number): Promise<ImportReport[]> {
  await failStaleImports(ctx);
  return findImports(ctx, limit, beforeId);
}

const CSV_PAGE = 5000;

/** `line,value,reason` for every rejected row, read page by page so memory stays flat. */
export async function* rejectionsCsv(ctx: ServiceContext, id: number): AsyncGenerator<string> {
  await getImport(ctx, id);
  yield 'line,value,reason\n';
  let afterLine = 0;
  for (;;) {
    const page = await findRejections(ctx, id, afterLine, CSV_PAGE);
    if (page.length === 0) return;
    yield page.map((row) => `${row.line},${csvCell(row.value)},${row.reason}\n`).join('');
    afterLine = page[page.length - 1]!.line;
  }
}
