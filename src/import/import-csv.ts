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
import { ImportFileError } from './import-errors.js';
import { createMissingCategories, mergeStagedRows, saveRejections } from './merge-staged-rows.js';
import { readCsvRows } from './read-csv-rows.js';
import { RowClassifier } from './row-classifier.js';
import { CREATE_STAGING_TABLE, StagingWriter } from './staging-copy.js';

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

/**
 * The one import verb behind the CLI, the HTTP route and the web page. The whole file is read,
 * normalized and COPied into a temporary table, then merged with one set-based statement, all in
 * one transaction: a file-level failure, a killed process or a lost database leaves the data as it
 * was. The report is kept in `imports`, with every rejected row.
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
  // Progress goes through the pool, not the import's connection, which is busy inside its transaction.
  const heartbeat = setInterval(() => {
    const now = progress();
    options.onProgress?.(now);
    recordProgress(ctx, importId, now.bytesRead, now.rowsRead).catch(() => {});
  }, PROGRESS_INTERVAL_MS);

  const client = (await ctx.sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as pg.PoolClient;
  let clientBroken = false;
  try {
    if (options.category !== undefined) classifier.assertFileCategoryUsable();
    await client.query('BEGIN');
    await client.query(CREATE_STAGING_TABLE);
    const staging = new StagingWriter(client);
    try {
      for await (const batch of reader.rows) {
        await staging.write(classifier.classify(batch));
        options.onProgress?.(progress());
      }
      await staging.finish();
    } catch (error) {
      staging.abort(error as Error);
      throw error;
    }

    const counts = classifier.counts();
    const created = options.dryRun ? [] : await createMissingCategories(client, classifier.categoriesToCreate());
    const merged = await mergeStagedRows(client, options.onDuplicate, options.dryRun);
    await saveRejections(client, importId);
    await client.query(
      `UPDATE imports SET status = 'completed', finished_at = now(), heartbeat_at = now(), bytes_read = $2,
              rows_total = $3, invalid = $4, duplicates_in_file = $5, inserted = $6, moved = $7,
              already_present = $8, categories_created = $9
       WHERE id = $1`,
      [
        importId,
        reader.bytesRead(),
        counts.rows,
        counts.invalid,
        counts.valid - merged.distinct,
        merged.inserted,
        merged.moved,
        merged.distinct - merged.inserted - merged.moved,
        options.dryRun ? classifier.categoriesToCreate() : created,
      ],
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
