import type pg from 'pg';
import type { Actor } from '../auth/roles.js';
import { modelsOf } from '../db/models.js';
import { execute, mutateRows, queryOne, queryRows, type Queryable } from '../db/query.js';
import type { ImportRejection, ImportReport, ImportSource } from './imports.schemas.js';

/** A running import's heartbeat older than this means its process died. */
export const STALE_AFTER_SECONDS = 60;
export const REPORTED_ERRORS = 100;

interface ImportRow {
  id: number;
  status: ImportReport['status'];
  source: ImportSource;
  filename: string | null;
  created_by: string | null;
  dry_run: boolean;
  on_duplicate: ImportReport['on_duplicate'];
  category: string | null;
  category_for_every_row: boolean;
  bytes_total: number | null;
  bytes_read: number;
  rows_total: number;
  inserted: number;
  moved: number;
  duplicates_in_file: number;
  already_present: number;
  invalid: number;
  numbers_from_split_cells: number;
  categories_created: string[];
  failure_reason: string | null;
  failure_message: string | null;
  started_at: Date;
  finished_at: Date | null;
  reverted_at: Date | null;
}

function toReport(row: ImportRow, errors: ImportRejection[]): ImportReport {
  const percent =
    row.status === 'completed' ? 100 : row.bytes_total ? Math.min(100, Math.round((row.bytes_read / row.bytes_total) * 1000) / 10) : null;
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    filename: row.filename,
    created_by: row.created_by,
    dry_run: row.dry_run,
    on_duplicate: row.on_duplicate,
    category: row.category,
    category_for_every_row: row.category_for_every_row,
    rows_total: row.rows_total,
    inserted: row.inserted,
    moved: row.moved,
    duplicates_in_file: row.duplicates_in_file,
    already_present: row.already_present,
    invalid: row.invalid,
    numbers_from_split_cells: row.numbers_from_split_cells,
    categories_created: row.categories_created,
    errors,
    failure: row.failure_reason ? { reason: row.failure_reason, message: row.failure_message ?? '' } : null,
    progress: { bytes_read: row.bytes_read, bytes_total: row.bytes_total, percent },
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
    reverted_at: row.reverted_at?.toISOString() ?? null,
  };
}

export interface NewImport {
  source: ImportSource;
  filename: string | null;
  createdBy: string | null;
  dryRun: boolean;
  onDuplicate: 'skip' | 'move';
  category: string | null;
  categoryForEveryRow: boolean;
  createCategories: boolean;
  bytesTotal: number | null;
}

export async function insertImport(db: Queryable, record: NewImport): Promise<number> {
  const { ImportRun } = modelsOf(db.sequelize);
  const created = await ImportRun.create(
    {
      status: 'running',
      source: record.source,
      filename: record.filename?.slice(0, 255) ?? null,
      created_by: record.createdBy,
      dry_run: record.dryRun,
      on_duplicate: record.onDuplicate,
      category: record.category,
      category_for_every_row: record.categoryForEveryRow,
      create_categories: record.createCategories,
      bytes_total: record.bytesTotal,
    },
    { transaction: db.transaction },
  );
  return created.id;
}

export async function recordProgress(db: Queryable, id: number, bytesRead: number, rowsRead: number): Promise<void> {
  await execute(
    db,
    `UPDATE imports SET bytes_read = $2, rows_total = $3, heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
    [id, bytesRead, rowsRead],
  );
}

export async function recordFailure(db: Queryable, id: number, reason: string, message: string): Promise<void> {
  await execute(
    db,
    `UPDATE imports SET status = 'failed', failure_reason = $2, failure_message = $3, finished_at = now(),
            inserted = 0, moved = 0, already_present = 0, duplicates_in_file = 0
     WHERE id = $1 AND status = 'running'`,
    [id, reason, message],
  );
}

/** An import whose process was killed never finishes; its heartbeat stops, and this closes it. */
export async function failStaleImports(db: Queryable): Promise<void> {
  await execute(
    db,
    `UPDATE imports SET status = 'failed', failure_reason = 'INTERRUPTED',
            failure_message = 'The import was interrupted (its process stopped); nothing from it was saved', finished_at = now()
     WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)`,
    [STALE_AFTER_SECONDS],
  );
}

const SELECT_IMPORT = `SELECT id, status, source, filename, created_by, dry_run, on_duplicate, category, category_for_every_row, bytes_total, bytes_read,
  rows_total, inserted, moved, duplicates_in_file, already_present, invalid, numbers_from_split_cells, categories_created, failure_reason,
  failure_message, started_at, finished_at, reverted_at FROM imports`;

export async function findImport(db: Queryable, id: number): Promise<ImportReport | null> {
  const row = await queryOne<ImportRow>(db, `${SELECT_IMPORT} WHERE id = $1`, [id]);
  if (!row) return null;
  return toReport(row, await findRejections(db, id, 0, REPORTED_ERRORS));
}

export async function findImports(db: Queryable, limit: number, beforeId?: number): Promise<ImportReport[]> {
  const rows = await queryRows<ImportRow>(
    db,
    `${SELECT_IMPORT} WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [beforeId ?? null, limit],
  );
  // The list is a history: counts and status, not every rejected row of every import.
  return rows.map((row) => toReport(row, []));
}

export async function findRejections(db: Queryable, id: number, afterLine: number, limit: number): Promise<ImportRejection[]> {
  const rows = await queryRows<{ line: number; value: string; reason: string; last_line: number | null }>(
    db,
    'SELECT line, value, reason, last_line FROM import_rejections WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3',
    [id, afterLine, limit],
  );
  // last_line only where a rejection covers several lines, so the usual one reads as before.
  return rows.map(({ last_line, ...row }) => (last_line === null ? row : { ...row, last_line }));
}

export interface ImportTotals {
  bytesRead: number;
  rows: number;
  invalid: number;
  duplicatesInFile: number;
  inserted: number;
  moved: number;
  alreadyPresent: number;
  categoriesCreated: string[];
  numbersFromSplitCells: number;
}

/** Marks the import completed with its counts, on its own connection inside its transaction. */
export async function recordCompletion(client: pg.ClientBase, importId: number, totals: ImportTotals): Promise<void> {
  await client.query(
    `UPDATE imports SET status = 'completed', finished_at = clock_timestamp(), heartbeat_at = clock_timestamp(),
            bytes_read = $2, rows_total = $3, invalid = $4, duplicates_in_file = $5, inserted = $6, moved = $7,
            already_present = $8, categories_created = $9, numbers_from_split_cells = $10
     WHERE id = $1`,
    [importId, totals.bytesRead, totals.rows, totals.invalid, totals.duplicatesInFile, totals.inserted, totals.moved, totals.alreadyPresent, totals.categoriesCreated, totals.numbersFromSplitCells],
  );
}

/** The import's one audit entry (not one per row), in its transaction. */
export async function auditImportRun(client: pg.ClientBase, importId: number, actor: Actor | undefined, dryRun: boolean, summary: object): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, new_value)
     VALUES ($1, $2, $3, 'import', $4, $4, $5)`,
    [actor?.keyId ?? null, actor?.name ?? 'system', dryRun ? 'import.dry_run' : 'import.run', importId, JSON.stringify(summary)],
  );
}
