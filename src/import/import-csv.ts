import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { ServiceContext } from '../context.js';
import { queryRows } from '../db/query.js';
import { NotFoundError } from '../errors.js';
import {
  failStaleImports,
  findImport,
  insertImport,
  recordFailure,
  recordProgress,
} from '../imports/imports.repository.js';
import type { ImportReport, ImportSource } from '../imports/imports.schemas.js';
import { BoundedQueue } from './bounded-queue.js';
import { ChunkLoader } from './chunk-loader.js';
import { ImportFileError } from './import-errors.js';
import { readCsvRows } from './read-csv-rows.js';
import { RowClassifier, type ClassifiedRow } from './row-classifier.js';

export interface ImportCsvOptions {
  source: ImportSource;
  filename: string | null;
  /** Category for rows whose own category cell is empty or missing. */
  category?: string | undefined;
  onDuplicate: 'skip' | 'move';
  dryRun: boolean;
  createCategories: boolean;
  createdBy?: string | null;
  /** Size of the input when known (a file, a Content-Length), for the percentage. */
  bytesTotal?: number | null;
  maxBytes?: number;
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
const CHUNK_ROWS = 50_000;
/** Chunks read ahead of the database: one being written, one waiting. */
const CHUNKS_AHEAD = 2;
/** Imports run one at a time; a second one waits for the first (their counts stay exact). */
const IMPORT_LOCK_KEY = 720_451_002;

/**
 * The one import verb behind the CLI, the HTTP route and the web page. Reading and normalizing run
 * in Node while PostgreSQL files the previous chunk, all inside one transaction: a file-level
 * failure, a killed process or a lost database leaves the data as it was. The report is kept in
 * `imports`, with every rejected row in `import_rejections`.
 */
export async function importCsv(ctx: ServiceContext, input: Readable, options: ImportCsvOptions): Promise<ImportReport> {
  await failStaleImports(ctx);
  const categories = await queryRows<{ name: string }>(ctx, 'SELECT name FROM categories');
  const classifier = new RowClassifier({
    defaultRegion: ctx.defaultRegion,
    knownCategories: categories.map((row) => row.name),
    fileCategory: options.category ?? null,
    createCategories: options.createCategories,
  });
  const importId = await insertImport(ctx, {
    source: options.source,
    filename: options.filename,
    createdBy: options.createdBy ?? null,
    dryRun: options.dryRun,
    onDuplicate: options.onDuplicate,
    category: options.category ?? null,
    createCategories: options.createCategories,
    bytesTotal: options.bytesTotal ?? null,
  });

  const reader = readCsvRows(input, options.maxBytes);
  const progress = (): ImportProgress => ({
    importId,
    bytesRead: reader.bytesRead(),
    bytesTotal: options.bytesTotal ?? null,
    rowsRead: classifier.rowsRead,
  });
  // Progress goes through the pool: the import's own connection is busy inside its transaction.
  const heartbeat = setInterval(() => {
    const now = progress();
    options.onProgress?.(now);
    recordProgress(ctx, importId, now.bytesRead, now.rowsRead).catch(() => {});
  }, PROGRESS_INTERVAL_MS);

  const client = (await ctx.sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as pg.PoolClient;
  let clientBroken = false;
  try {
    classifier.assertFileCategoryUsable();
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
    const loader = new ChunkLoader(client, {
      importId,
      onDuplicate: options.onDuplicate,
      dryRun: options.dryRun,
      nameToCreate: (key) => classifier.nameToCreate(key),
    });
    await loader.start();

    const chunks = new BoundedQueue<ClassifiedRow[]>(CHUNKS_AHEAD);
    await Promise.all([
      readChunks(reader.rows, classifier, chunks, () => options.onProgress?.(progress())),
      writeChunks(chunks, loader),
    ]);

    const counts = classifier.counts();
    const loaded = loader.totals();
    await client.query(
      `UPDATE imports SET status = 'completed', finished_at = clock_timestamp(), heartbeat_at = clock_timestamp(),
              bytes_read = $2, rows_total = $3, invalid = $4, duplicates_in_file = $5, inserted = $6, moved = $7,
              already_present = $8, categories_created = $9
       WHERE id = $1`,
      [importId, reader.bytesRead(), counts.rows, counts.invalid, loaded.duplicatesInFile, loaded.inserted, loaded.moved, loaded.alreadyPresent, loader.categoriesCreated()],
    );
    await client.query('COMMIT');
  } catch (error) {
    clientBroken = !(await rollback(client));
    const failure = describeFailure(error);
    await recordFailure(ctx, importId, failure.reason, failure.message).catch(() => {});
    if (error instanceof ImportFileError) throw withImportId(error, importId);
    throw error;
  } finally {
    clearInterval(heartbeat);
    if (clientBroken) await client.end().catch(() => {});
    ctx.sequelize.connectionManager.releaseConnection(client as never);
  }

  const report = await findImport(ctx, importId);
  if (!report) throw new NotFoundError(`Import ${importId} vanished`);
  return report;
}

async function readChunks(
  batches: AsyncIterable<import('./read-csv-rows.js').CsvRow[]>,
  classifier: RowClassifier,
  chunks: BoundedQueue<ClassifiedRow[]>,
  onBatch: () => void,
): Promise<void> {
  try {
    let chunk: ClassifiedRow[] = [];
    for await (const batch of batches) {
      for (const row of classifier.classify(batch)) chunk.push(row);
      onBatch();
      if (chunk.length >= CHUNK_ROWS) {
        await chunks.push(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await chunks.push(chunk);
    chunks.close();
  } catch (error) {
    chunks.close(error);
    throw error;
  }
}

async function writeChunks(chunks: BoundedQueue<ClassifiedRow[]>, loader: ChunkLoader): Promise<void> {
  try {
    for (let chunk = await chunks.shift(); chunk !== undefined; chunk = await chunks.shift()) await loader.load(chunk);
  } catch (error) {
    chunks.close(error);
    throw error;
  }
}

async function rollback(client: pg.PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

function describeFailure(error: unknown): { reason: string; message: string } {
  if (error instanceof ImportFileError) return { reason: error.reason, message: error.message };
  return { reason: 'DATABASE_ERROR', message: 'The import stopped on a database error; nothing from it was saved' };
}

function withImportId(error: ImportFileError, importId: number): ImportFileError {
  const details = (error.details ?? {}) as Record<string, unknown>;
  return new ImportFileError(error.reason, error.message, { ...details, import_id: importId });
}
