import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { ServiceContext } from '../../context.js';
import { SETTING_DEFAULTS } from '../../env.js';
import { findCategoryNames } from '../../categories/categories.repository.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import {
  auditImportRun,
  failStaleImports,
  findImport,
  insertImport,
  recordCompletion,
  recordFailure,
  recordProgress,
} from '../imports.repository.js';
import type { ImportReport, ImportSource } from '../imports.schemas.js';
import { ChunkLoader } from './chunk-loader.js';
import type { ColumnChoice } from './csv-columns.js';
import { ImportFileError } from './import-errors.js';
import { inImportTransaction } from './import-lock.js';
import { startParserThread, type ParserThread } from './parser-thread.js';
import { CategoryResolver } from './category-resolver.js';
import { recordWebhookEventOn } from '../../webhooks/webhook-outbox.repository.js';
import type { RowClassifierOptions } from './row-classifier.js';

export interface ImportCsvOptions {
  source: ImportSource;
  filename: string | null;
  /** Category for rows whose own category cell is empty or missing. */
  category?: string | undefined;
  /** `category` for every row, whatever a row's own category cell says. */
  categoryForEveryRow?: boolean;
  onDuplicate: 'skip' | 'move';
  dryRun: boolean;
  createCategories: boolean;
  /** Size of the input when known (a file, a Content-Length), for the percentage. */
  bytesTotal?: number | null;
  maxBytes?: number;
  /** The workbook's sheet (xlsx); the first when not given. */
  sheet?: string | undefined;
  /** Columns chosen by header or 1-based position, when the headers are unusual. */
  columns?: ColumnChoice;
  /** An upload that sends no bytes for this long is aborted (IMPORT_STALL_TIMEOUT_MS). */
  stallTimeoutMs?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  importId: number;
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
}

const PROGRESS_INTERVAL_MS = 1000;
/** Rows per database round; big enough to amortize the round trips, small enough to keep memory flat. */
const CHUNK_ROWS = 25_000;

/**
 * The pipeline behind importUpload (the CLI, the HTTP route and the web page). A worker thread reads
 * and normalizes while this thread streams the previous chunk into PostgreSQL, all inside one
 * transaction (so parsing and loading use both cores): a file-level failure, a killed process or a
 * lost database leaves the data as it was. The report is kept in `imports`, with every rejected row
 * in `import_rejections`.
 */
export async function importCsv(ctx: ServiceContext, input: Readable, options: ImportCsvOptions): Promise<ImportReport> {
  const { importId, classifier } = await openImportRun(ctx, options);
  let parser: ParserThread | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    new CategoryResolver(classifier).assertFileCategoryUsable();
    const progress = (): ImportProgress => ({
      importId,
      bytesRead: parser?.bytesRead() ?? 0,
      bytesTotal: options.bytesTotal ?? null,
      rowsRead: parser?.rowsRead() ?? 0,
    });
    heartbeat = beatProgress(ctx, importId, progress, options.onProgress);
    // The lock first, then the parser thread: a waiting import holds neither a connection nor a thread.
    await inImportTransaction(ctx, input, async (client) => {
      parser = await startParserThread(input, {
        importId,
        classifier,
        maxBytes: options.maxBytes,
        chunkRows: CHUNK_ROWS,
        stallTimeoutMs: options.stallTimeoutMs ?? SETTING_DEFAULTS.IMPORT_STALL_TIMEOUT_MS,
        columns: options.columns ?? {},
        sheet: options.sheet,
      });
      const loader = await loadChunks(ctx, client, importId, parser, options, progress);
      await closeImportRun(ctx, client, importId, parser, loader, options);
    });
  } catch (error) {
    const failure = describeFailure(error);
    await recordFailure(ctx, importId, failure.reason, failure.message).catch(() => {});
    if (error instanceof ImportFileError) throw withImportId(error, importId);
    throw error;
  } finally {
    clearInterval(heartbeat);
    await parser?.stop();
  }

  const report = await findImport(ctx, importId);
  if (!report) throw new NotFoundError(`Import ${importId} vanished`);
  return report;
}

/** Checks the options, and records the import as running; what the rows are classified against. */
async function openImportRun(ctx: ServiceContext, options: ImportCsvOptions): Promise<{ importId: number; classifier: RowClassifierOptions }> {
  if (options.categoryForEveryRow && !options.category?.trim()) {
    throw new ValidationError('A category for every row needs the category: give category (or --category)', { field: 'category' });
  }
  await failStaleImports(ctx);
  const classifier: RowClassifierOptions = {
    defaultRegion: ctx.defaultRegion,
    knownCategories: await findCategoryNames(ctx),
    fileCategory: options.category ?? null,
    fileCategoryForEveryRow: options.categoryForEveryRow ?? false,
    createCategories: options.createCategories,
  };
  const importId = await insertImport(ctx, {
    source: options.source,
    filename: options.filename,
    createdBy: ctx.actor?.name ?? null,
    dryRun: options.dryRun,
    onDuplicate: options.onDuplicate,
    category: options.category ?? null,
    categoryForEveryRow: options.categoryForEveryRow ?? false,
    createCategories: options.createCategories,
    bytesTotal: options.bytesTotal ?? null,
  });
  return { importId, classifier };
}

/**
 * Progress goes through the pool: the import's own connection is busy inside its transaction.
 * It beats from the start, so an import waiting for the lock is not taken for a dead one.
 */
function beatProgress(ctx: ServiceContext, importId: number, progress: () => ImportProgress, onProgress: ImportCsvOptions['onProgress']): NodeJS.Timeout {
  return setInterval(() => {
    const now = progress();
    onProgress?.(now);
    recordProgress(ctx, importId, now.bytesRead, now.rowsRead).catch(() => {});
  }, PROGRESS_INTERVAL_MS);
}

/** Files each chunk the parser thread hands over, while it prepares the next. */
async function loadChunks(
  ctx: ServiceContext,
  client: pg.PoolClient,
  importId: number,
  reading: ParserThread,
  options: ImportCsvOptions,
  progress: () => ImportProgress,
): Promise<ChunkLoader> {
  const loader = new ChunkLoader(client, {
    importId,
    actor: ctx.actor,
    onDuplicate: options.onDuplicate,
    dryRun: options.dryRun,
    nameToCreate: (key) => reading.nameToCreate(key),
  });
  await loader.start();
  for await (const chunk of reading.chunks) {
    await loader.load(chunk);
    options.onProgress?.(progress());
  }
  return loader;
}

/** The counts, the audit entry and (unless a dry run) the one import.finished event, committed with the rows. */
async function closeImportRun(ctx: ServiceContext, client: pg.PoolClient, importId: number, reading: ParserThread, loader: ChunkLoader, options: ImportCsvOptions): Promise<void> {
  const counts = reading.counts();
  const loaded = loader.totals();
  await recordCompletion(client, importId, {
    bytesRead: reading.bytesRead(),
    rows: counts.rows,
    invalid: counts.invalid,
    duplicatesInFile: loaded.duplicatesInFile,
    inserted: loaded.inserted,
    moved: loaded.moved,
    alreadyPresent: loaded.alreadyPresent,
    categoriesCreated: loader.categoriesCreated(),
    numbersFromSplitCells: counts.numbersFromSplitCells,
  });
  await auditImportRun(client, importId, ctx.actor, options.dryRun, {
    filename: options.filename,
    rows: counts.rows,
    inserted: loaded.inserted,
    moved: loaded.moved,
    categories_created: loader.categoriesCreated(),
  });
  if (options.dryRun) return;
  // One summary event per import, committed with it: a million rows are not a million events.
  const finished = {
    import_id: importId, status: 'completed', source: options.source, filename: options.filename ?? null, category: options.category ?? null,
    on_duplicate: options.onDuplicate, rows_total: counts.rows, inserted: loaded.inserted, moved: loaded.moved, already_present: loaded.alreadyPresent,
    duplicates_in_file: loaded.duplicatesInFile, invalid: counts.invalid, categories_created: loader.categoriesCreated(),
  };
  await recordWebhookEventOn(client, { type: 'import.finished', orderingKey: `import:${importId}`, data: finished });
}

function describeFailure(error: unknown): { reason: string; message: string } {
  if (error instanceof ImportFileError) return { reason: error.reason, message: error.message };
  return { reason: 'DATABASE_ERROR', message: 'The import stopped on a database error; nothing from it was saved' };
}

function withImportId(error: ImportFileError, importId: number): ImportFileError {
  const details = (error.details ?? {}) as Record<string, unknown>;
  return new ImportFileError(error.reason, error.message, { ...details, import_id: importId });
}
