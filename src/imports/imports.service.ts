import type { ServiceContext } from '../context.js';
import { csvCell, csvPages } from '../csv-cell.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { inImportTransaction } from './pipeline/import-lock.js';
import { lockImportForRevert, revertImportRows, type RevertCounts } from './import-revert.repository.js';
import { findImport, findImports, findRejections, failStaleImports } from './imports.repository.js';
import type { ImportReport } from './imports.schemas.js';

export { importCsv } from './pipeline/import-csv.js';

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

/**
 * Undoes a completed import, once: removes the numbers it filed, moves back the ones it moved, and
 * keeps (and counts) what was changed since. One transaction under the import lock, so no import
 * runs meanwhile; set-based, so a million-row import reverts in seconds.
 */
export async function revertImport(ctx: ServiceContext, id: number): Promise<RevertCounts> {
  const report = await getImport(ctx, id);
  return inImportTransaction(ctx, undefined, async (client) => {
    const current = await lockImportForRevert(client, id);
    if (!current) throw new NotFoundError(`Import ${id} does not exist`, { import_id: id });
    if (current.reverted_at) throw new ConflictError(`Import ${id} was already reverted`, { import_id: id, reverted_at: current.reverted_at.toISOString() });
    if (current.dry_run) throw new ConflictError(`Import ${id} was a dry run: it changed nothing to revert`, { import_id: id });
    if (current.status !== 'completed') throw new ConflictError(`Import ${id} is ${current.status}: only a completed import changed anything`, { import_id: id, status: report.status });
    return revertImportRows(client, id, ctx.actor);
  });
}
