import type { Readable } from 'node:stream';
import { roleAllows } from '../auth/roles.js';
import type { ServiceContext } from '../context.js';
import { csvCell, csvPages } from '../csv-export/csv-cell.js';
import { AppError, ConflictError, NotFoundError } from '../errors.js';
import { inImportTransaction } from './pipeline/import-lock.js';
import { lockImportForRevert, revertImportRows, type RevertCounts } from './import-revert.repository.js';
import { findImport, findImports, findRejections, failStaleImports } from './imports.repository.js';
import { columnChoice, type ImportOptions, type ImportReport, type ImportSource } from './imports.schemas.js';
import { importCsv, type ImportProgress } from './pipeline/import-csv.js';

/** A file to import, as each caller has it: an HTTP body, a console form's file, a file on disk. */
export interface UploadedFile {
  source: ImportSource;
  file: Readable;
  filename: string | null;
  /** Its size when known (a file, a Content-Length), for the percentage. */
  bytesTotal: number | null;
  maxBytes?: number;
  /** An upload that sends no bytes for this long is aborted (IMPORT_STALL_TIMEOUT_MS). */
  stallTimeoutMs?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * The one import verb of the route, the console and the command line: options validated by
 * ImportOptionsSchema, mapped here (and only here) onto the pipeline's. Admins own the category
 * list; others import into the categories that exist.
 */
export async function importUpload(ctx: ServiceContext, upload: UploadedFile, options: ImportOptions): Promise<ImportReport> {
  if (options.create_categories && ctx.actor && !roleAllows(ctx.actor.role, 'admin')) {
    throw new AppError('FORBIDDEN', 'create_categories=true needs the admin role', { needed: 'admin', role: ctx.actor.role });
  }
  return importCsv(ctx, upload.file, {
    source: upload.source,
    filename: upload.filename,
    category: options.category,
    categoryForEveryRow: options.category_for_every_row,
    onDuplicate: options.on_duplicate,
    dryRun: options.dry_run,
    createCategories: options.create_categories,
    bytesTotal: upload.bytesTotal,
    maxBytes: upload.maxBytes,
    stallTimeoutMs: upload.stallTimeoutMs,
    columns: columnChoice(options),
    sheet: options.sheet,
    onProgress: upload.onProgress,
  });
}

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
