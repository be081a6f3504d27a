import type { ServiceContext } from '../context.js';
import { csvCell, csvPages } from '../csv-cell.js';
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

/** `line,value,reason,last_line` for every rejected row, read page by page by line. */
export async function* rejectionsCsv(ctx: ServiceContext, id: number): AsyncGenerator<string> {
  await getImport(ctx, id);
  yield* csvPages(
    'line,value,reason,last_line',
    (afterLine, limit) => findRejections(ctx, id, afterLine, limit),
    (row) => row.line,
    (row) => `${row.line},${csvCell(row.value)},${row.reason},${row.last_line ?? ''}`,
  );
}
