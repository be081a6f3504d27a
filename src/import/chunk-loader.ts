import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ClassifiedRow } from './row-classifier.js';

export interface LoadCounts {
  inserted: number;
  moved: number;
  alreadyPresent: number;
  duplicatesInFile: number;
}

/** Held across one chunk's check-then-write; single-number filing takes it shared (see filePhoneNumber). */
export const CHUNK_WRITE_LOCK_KEY = 720_451_003;

/**
 * Numbers that were filed before this import and already met in an earlier chunk. Numbers this
 * import inserted or moved need no entry: their row version carries this transaction's id.
 */
const CREATE_SEEN_TABLE = 'CREATE TEMP TABLE import_seen (normalized text PRIMARY KEY) ON COMMIT DROP';

interface ExistingRow {
  normalized: string;
  category_id: number;
  ours: boolean;
  seen: boolean;
}

function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (char) => COPY_ESCAPES[char]!) : text;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

async function copyRows(client: pg.ClientBase, statement: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const stream: Writable = client.query(copyFrom(statement));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(lines.join(''));
  });
}

/**
 * Writes an import chunk by chunk inside the import's one transaction, so PostgreSQL files chunk k
 * while Node reads chunk k+1. Per chunk: one lookup tells which numbers are new, filed before, or
 * already met in this file (the first row of a number wins); new numbers are COPied straight into
 * phone_numbers, which costs what a bare COPY costs, instead of a slower INSERT … ON CONFLICT.
 */
export interface ChunkLoaderOptions {
  importId: number;
  onDuplicate: 'skip' | 'move';
  dryRun: boolean;
  /** The display name of a category the file names that does not exist yet (create_categories). */
  nameToCreate(key: string): string | undefined;
}

export class ChunkLoader {
  private readonly counts: LoadCounts = { inserted: 0, moved: 0, alreadyPresent: 0, duplicatesInFile: 0 };
  private transactionId = 0;
  private readonly categoryIds = new Map<string, number>();
  private readonly created: string[] = [];

  constructor(
    private readonly client: pg.ClientBase,
    private readonly options: ChunkLoaderOptions,
  ) {}

  async start(): Promise<void> {
    const categories = await this.client.query<{ id: number; name: string }>('SELECT id, name FROM categories');
    for (const category of categories.rows) this.categoryIds.set(category.name.toLowerCase(), category.id);
    await this.client.query(CREATE_SEEN_TABLE);
    // xmin holds the 32-bit transaction id; txid_current() adds the epoch above it.
    const result = await this.client.query<{ xid: string }>('SELECT (txid_current() % 4294967296)::text AS xid');
    this.transactionId = Number(result.rows[0]!.xid);
  }

  totals(): LoadCounts {
    return { ...this.counts };
  }

  /** Categories this import created (or, in a dry run, would create). */
  categoriesCreated(): string[] {
    return [...this.created];
  }

  async load(rows: ClassifiedRow[]): Promise<void> {
    await this.createCategoriesFor(rows);
    const firsts = new Map<string, ClassifiedRow>();
    const rejected: string[] = [];
    for (const row of rows) {
      if (row.reason !== null) {
        rejected.push(`${this.options.importId}\t${row.line}\t${copyText(row.original.slice(0, 200))}\t${row.reason}\n`);
      } else if (firsts.has(row.normalized!)) {
        this.counts.duplicatesInFile += 1;
      } else {
        firsts.set(row.normalized!, row);
      }
    }

    await this.client.query('SELECT pg_advisory_lock($1)', [CHUNK_WRITE_LOCK_KEY]);
    try {
      const existing = await this.findExisting([...firsts.keys()]);
      const inserts: string[] = [];
      const moves: ClassifiedRow[] = [];
      const firstMeetings: string[] = [];
      for (const [normalized, row] of firsts) {
        const filed = existing.get(normalized);
        if (!filed) {
          this.counts.inserted += 1;
          if (this.options.dryRun) firstMeetings.push(normalized);
          else inserts.push(`${copyText(row.original.slice(0, 100))}\t${normalized}\t${this.categoryId(row)}\t${copyText(row.numberType)}\n`);
        } else if (filed.ours || filed.seen) {
          this.counts.duplicatesInFile += 1;
        } else {
          firstMeetings.push(normalized);
          if (this.options.onDuplicate === 'move' && filed.category_id !== this.categoryId(row)) {
            this.counts.moved += 1;
            moves.push(row);
          } else {
            this.counts.alreadyPresent += 1;
          }
        }
      }
      if (!this.options.dryRun) {
        await copyRows(this.client, 'COPY phone_numbers (original_number, normalized_number, category_id, number_type) FROM STDIN', inserts);
        await this.moveRows(moves);
      }
      if (firstMeetings.length > 0) {
        await this.client.query('INSERT INTO import_seen (normalized) SELECT unnest($1::text[])', [firstMeetings]);
      }
    } finally {
      await this.client.query('SELECT pg_advisory_unlock($1)', [CHUNK_WRITE_LOCK_KEY]);
    }
    await copyRows(this.client, 'COPY import_rejections (import_id, line, value, reason) FROM STDIN', rejected);
  }

  private async findExisting(numbers: string[]): Promise<Map<string, ExistingRow>> {
    if (numbers.length === 0) return new Map();
    const result = await this.client.query<ExistingRow>(
      `SELECT p.normalized_number AS normalized, p.category_id,
              (p.xmin::text::bigint = $2) AS ours, (s.normalized IS NOT NULL) AS seen
       FROM unnest($1::text[]) AS u(n)
       JOIN phone_numbers p ON p.normalized_number = u.n
       LEFT JOIN import_seen s ON s.normalized = u.n`,
      [numbers, this.transactionId],
    );
    return new Map(result.rows.map((row) => [row.normalized, row]));
  }

  private async moveRows(rows: ClassifiedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.query(
      `UPDATE phone_numbers p SET category_id = u.category_id
       FROM unnest($1::text[], $2::int[]) AS u(normalized, category_id)
       WHERE p.normalized_number = u.normalized`,
      [rows.map((row) => row.normalized), rows.map((row) => this.categoryId(row))],
    );
  }

  private categoryId(row: ClassifiedRow): number {
    return this.categoryIds.get(row.categoryKey!)!;
  }

  /**
   * Categories are created inside the import's transaction, when first met, so a failed import
   * leaves none behind. A dry run gives them placeholder ids that match no filed number.
   */
  private async createCategoriesFor(rows: ClassifiedRow[]): Promise<void> {
    for (const row of rows) {
      const key = row.categoryKey;
      if (key === null || row.reason !== null || this.categoryIds.has(key)) continue;
      const name = this.options.nameToCreate(key) ?? key;
      if (this.options.dryRun) {
        this.created.push(name);
        this.categoryIds.set(key, -this.created.length);
        continue;
      }
      // An admin may have created it since the import started: then it is used, not created.
      const result = await this.client.query<{ id: number; inserted: boolean }>(
        `INSERT INTO categories (name) VALUES ($1)
         ON CONFLICT ((lower(name))) DO UPDATE SET name = categories.name RETURNING id, (xmax = 0) AS inserted`,
        [name],
      );
      if (result.rows[0]!.inserted) this.created.push(name);
      this.categoryIds.set(key, result.rows[0]!.id);
    }
  }
}
