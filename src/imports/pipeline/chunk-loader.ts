import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isUniqueViolation } from '../../db/query.js';
import type { Actor } from '../../auth/roles.js';
import type { PreparedChunk, PreparedRows } from './prepared-chunk.js';
import { UPSERT_IDENTITIES_SQL, upsertIdentitiesBind } from '../../identities/identities.repository.js';

export interface LoadCounts {
  inserted: number;
  moved: number;
  alreadyPresent: number;
  duplicatesInFile: number;
}

export interface ChunkLoaderOptions {
  importId: number;
  /** Who runs the import, for the history of each number it moves. */
  actor: Actor | undefined;
  onDuplicate: 'skip' | 'move';
  dryRun: boolean;
  /** The display name of a category the file names that does not exist yet (create_categories). */
  nameToCreate(key: string): string | undefined;
}

interface ExistingRow {
  normalized: string;
  category_id: number;
  name: string | null;
  ours: boolean;
  seen: boolean;
}

/** Row positions in a PreparedRows. */
type Picks = number[];

/**
 * Numbers filed before this import and already met in it. Numbers this import inserted or moved
 * need no entry: their row versions carry one of this transaction's ids.
 */
const CREATE_SEEN_TABLE = 'CREATE TEMP TABLE import_seen (normalized text PRIMARY KEY) ON COMMIT DROP';
// The import and category ids last, so a line is the prepared head plus them.
const COPY_PHONE_NUMBERS =
  'COPY phone_numbers (original_number, normalized_number, number_type, name, filed_by_import_id, category_id) FROM STDIN';
const COPY_REJECTIONS = 'COPY import_rejections (import_id, line, value, reason, last_line) FROM STDIN';
/** Collisions with numbers filed concurrently are retried this many times before the import gives up. */
const MAX_INSERT_ATTEMPTS = 4;
/** After this many chunks that collided with filed numbers, stop hoping the rest are new. */
const OPTIMISM_BUDGET = 2;

/** Sends COPY text (already escaped) for one statement and waits until PostgreSQL has taken it all. */
async function copyIn(client: pg.ClientBase, statement: string, text: string): Promise<void> {
  if (text.length === 0) return;
  const stream: Writable = client.query(copyFrom(statement));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

const all = (rows: PreparedRows): Picks => rows.normalized.map((_, index) => index);

/**
 * Files an import chunk by chunk inside the import's one transaction, while the parsing thread
 * prepares the next chunk. New numbers are COPied straight into phone_numbers, so a new number costs
 * what it costs in a bare COPY. The counts stay exact:
 * - a number met earlier in the file is a duplicate (the first row wins): the parsing thread's Bloom
 *   filter says which numbers may have been met, and only those are looked up;
 * - the rest are COPied optimistically in a savepoint; when one was filed before the import (or by
 *   someone else meanwhile), the savepoint rolls back, the chunk is looked up, and only new numbers
 *   are COPied. After two such chunks the loader looks every number up first.
 */
export class ChunkLoader {
  private readonly counts: LoadCounts = { inserted: 0, moved: 0, alreadyPresent: 0, duplicatesInFile: 0 };
  private readonly categoryIds = new Map<string, number>();
  private readonly created: string[] = [];
  /** This transaction's id and its savepoints': a row whose xmin is one of them was written by this import. */
  private readonly ownTransactionIds: number[] = [];
  private optimismLeft: number;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly options: ChunkLoaderOptions,
  ) {
    this.optimismLeft = options.dryRun ? 0 : OPTIMISM_BUDGET;
  }

  async start(): Promise<void> {
    const categories = await this.client.query<{ id: number; name: string }>('SELECT id, name FROM categories');
    for (const category of categories.rows) this.categoryIds.set(category.name.toLowerCase(), category.id);
    await this.client.query(CREATE_SEEN_TABLE);
    // xmin holds the 32-bit transaction id; txid_current() adds the epoch above it.
    const result = await this.client.query<{ xid: string }>('SELECT (txid_current() % 4294967296)::text AS xid');
    this.ownTransactionIds.push(Number(result.rows[0]!.xid));
  }

  totals(): LoadCounts {
    return { ...this.counts };
  }

  /** Categories this import created (or, in a dry run, would create). */
  categoriesCreated(): string[] {
    return [...this.created];
  }

  async load(chunk: PreparedChunk): Promise<void> {
    this.counts.duplicatesInFile += chunk.duplicatesInChunk;
    await this.createCategories(chunk.maybeMet);
    await this.createCategories(chunk.neverMet);

    const optimistic = this.optimismLeft > 0;
    const maybeMetPlan = await this.planAgainstDatabase(chunk.maybeMet, all(chunk.maybeMet));
    const neverMetPlan = optimistic
      ? { inserts: all(chunk.neverMet), moves: [], renames: [], seen: [] }
      : await this.planAgainstDatabase(chunk.neverMet, all(chunk.neverMet));

    for (const [rows, plan] of [[chunk.maybeMet, maybeMetPlan], [chunk.neverMet, neverMetPlan]] as const) {
      if (this.options.dryRun) {
        this.counts.inserted += plan.inserts.length;
        plan.seen.push(...plan.inserts);
      } else {
        await this.insertNew(rows, plan);
        await this.moveRows(rows, plan.moves);
        await this.renameRows(rows, plan.renames);
      }
      if (plan.seen.length > 0) {
        await this.client.query('INSERT INTO import_seen (normalized) SELECT unnest($1::text[])', [plan.seen.map((i) => rows.normalized[i]!)]);
      }
    }
    await copyIn(this.client, COPY_REJECTIONS, chunk.rejections);
    if (!this.options.dryRun && chunk.identities.ids.length > 0) await this.rememberIdentities(chunk.identities);
  }

  /** The identity columns' pairs: one statement per chunk, in the import's transaction. */
  private async rememberIdentities(identities: PreparedChunk['identities']): Promise<void> {
    const pairs = identities.ids.map((id, i) => ({ id, kind: identities.kinds[i]!, normalized: identities.numbers[i]! }));
    await this.client.query(UPSERT_IDENTITIES_SQL, upsertIdentitiesBind(this.options.actor, pairs));
  }

  /** Sorts rows into new, duplicates of earlier rows, and numbers filed before (to move or leave). */
  private async planAgainstDatabase(rows: PreparedRows, picks: Picks) {
    const plan = { inserts: [] as Picks, moves: [] as Picks, renames: [] as Picks, seen: [] as Picks };
    if (picks.length === 0) return plan;
    const existing = await this.findExisting(picks.map((i) => rows.normalized[i]!));
    for (const i of picks) {
      const filed = existing.get(rows.normalized[i]!);
      if (!filed) {
        plan.inserts.push(i);
      } else if (filed.ours || filed.seen) {
        this.counts.duplicatesInFile += 1;
      } else {
        plan.seen.push(i);
        if (this.options.onDuplicate === 'move' && filed.category_id !== this.categoryIds.get(rows.categoryKeys[i]!)) {
          this.counts.moved += 1;
          plan.moves.push(i);
        } else {
          this.counts.alreadyPresent += 1;
          // move also brings a filed number's contact name up to date, where the file gives one.
          const name = rows.names[i];
          if (this.options.onDuplicate === 'move' && name !== null && name !== undefined && name !== filed.name) plan.renames.push(i);
        }
      }
    }
    return plan;
  }

  private async insertNew(rows: PreparedRows, plan: { inserts: Picks; moves: Picks; renames: Picks; seen: Picks }): Promise<void> {
    let picks = plan.inserts;
    for (let attempt = 1; picks.length > 0; attempt += 1) {
      await this.client.query('SAVEPOINT import_chunk');
      try {
        let text = '';
        const importColumn = `${this.options.importId}\t`;
        for (const i of picks) text += `${rows.copyHeads[i]}${importColumn}${this.categoryIds.get(rows.categoryKeys[i]!)}\n`;
        await copyIn(this.client, COPY_PHONE_NUMBERS, text);
        const xid = await this.withIndexScans(() =>
          this.client.query<{ xid: string }>('SELECT xmin::text AS xid FROM phone_numbers WHERE normalized_number = $1', [
            rows.normalized[picks[0]!],
          ]),
        );
        this.ownTransactionIds.push(Number(xid.rows[0]!.xid));
        await this.client.query('RELEASE SAVEPOINT import_chunk');
        this.counts.inserted += picks.length;
        return;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_INSERT_ATTEMPTS) throw error;
        await this.client.query('ROLLBACK TO SAVEPOINT import_chunk');
        await this.client.query('RELEASE SAVEPOINT import_chunk');
        this.optimismLeft -= 1;
        // Some of these were filed before the import or meanwhile: keep only the new ones.
        const recheck = await this.planAgainstDatabase(rows, picks);
        plan.moves.push(...recheck.moves);
        plan.renames.push(...recheck.renames);
        plan.seen.push(...recheck.seen);
        picks = recheck.inserts;
      }
    }
  }

  /**
   * The table grows by a million rows inside this one transaction while its statistics still say it
   * is small (or empty), so the planner may choose to read all of it for each lookup. Lookups by key
   * run with sequential scans off; COPY and its foreign-key checks run with the planner's defaults.
   */
  private async withIndexScans<T>(work: () => Promise<T>): Promise<T> {
    await this.client.query('SET LOCAL enable_seqscan = off');
    try {
      return await work();
    } finally {
      await this.client.query('SET LOCAL enable_seqscan = on');
    }
  }

  private async findExisting(numbers: string[]): Promise<Map<string, ExistingRow>> {
    // `= ANY(array)` is an index condition; a join against unnest() would leave the plan to chance.
    const result = await this.withIndexScans(() => this.client.query<ExistingRow>(
      `SELECT p.normalized_number AS normalized, p.category_id, p.name,
              (p.xmin::text::bigint = ANY($2::bigint[])) AS ours,
              EXISTS (SELECT 1 FROM import_seen s WHERE s.normalized = p.normalized_number) AS seen
       FROM phone_numbers p
       WHERE p.normalized_number = ANY($1::varchar[])`,
      [numbers, this.ownTransactionIds],
    ));
    return new Map(result.rows.map((row) => [row.normalized, row]));
  }

  private async moveRows(rows: PreparedRows, picks: Picks): Promise<void> {
    // One statement per target category, each an index lookup by `= ANY(array)`.
    const byCategory = new Map<number, { numbers: string[]; names: Array<string | null> }>();
    for (const i of picks) {
      const categoryId = this.categoryIds.get(rows.categoryKeys[i]!)!;
      const group = byCategory.get(categoryId) ?? { numbers: [], names: [] };
      group.numbers.push(rows.normalized[i]!);
      group.names.push(rows.names[i] ?? null);
      byCategory.set(categoryId, group);
    }
    // Each moved number's history records the move, this import and who ran it.
    await this.withIndexScans(async () => {
      // The audit rows keep the old category and name: an import's revert puts them back from there.
      for (const [categoryId, group] of byCategory) {
        await this.client.query(
          `WITH given AS (
             SELECT * FROM unnest($2::varchar[], $6::varchar[]) AS g(normalized_number, name)
           ), before AS (
             SELECT p.id, p.category_id, p.name, given.name AS new_name
             FROM phone_numbers p JOIN given ON given.normalized_number = p.normalized_number
             WHERE p.normalized_number = ANY($2::varchar[]) FOR UPDATE OF p
           ), moved AS (
             UPDATE phone_numbers p SET category_id = $1, name = COALESCE(before.new_name, p.name) FROM before WHERE p.id = before.id
             RETURNING p.id, p.name, before.category_id AS old_category_id, before.name AS old_name
           )
           INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, old_value, new_value)
           SELECT $3, $4, 'phone_number.move', 'phone_number', id, $5,
                  jsonb_build_object('category_id', old_category_id, 'name', old_name), jsonb_build_object('category_id', $1::int, 'name', name)
           FROM moved`,
          [categoryId, group.numbers, this.options.actor?.keyId ?? null, this.options.actor?.name ?? 'system', this.options.importId, group.names],
        );
      }
    });
  }

  /** Numbers already in the file's category whose contact name the file changes (on_duplicate=move). */
  private async renameRows(rows: PreparedRows, picks: Picks): Promise<void> {
    if (picks.length === 0) return;
    await this.withIndexScans(() =>
      this.client.query(
        `WITH given AS (
           SELECT * FROM unnest($1::varchar[], $2::varchar[]) AS g(normalized_number, name)
         ), before AS (
           SELECT p.id, p.name, given.name AS new_name
           FROM phone_numbers p JOIN given ON given.normalized_number = p.normalized_number
           WHERE p.normalized_number = ANY($1::varchar[]) FOR UPDATE OF p
         ), renamed AS (
           UPDATE phone_numbers p SET name = before.new_name FROM before WHERE p.id = before.id
           RETURNING p.id, p.category_id, before.name AS old_name, p.name
         )
         INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, import_id, old_value, new_value)
         SELECT $3, $4, 'phone_number.rename', 'phone_number', id, $5,
                jsonb_build_object('category_id', category_id, 'name', old_name), jsonb_build_object('category_id', category_id, 'name', name)
         FROM renamed`,
        [picks.map((i) => rows.normalized[i]!), picks.map((i) => rows.names[i]!), this.options.actor?.keyId ?? null, this.options.actor?.name ?? 'system', this.options.importId],
      ),
    );
  }

  /**
   * Categories are created inside the import's transaction, when first met, so a failed import
   * leaves none behind. A dry run gives them placeholder ids that match no filed number.
   */
  private async createCategories(rows: PreparedRows): Promise<void> {
    for (const key of rows.categoryKeys) {
      if (this.categoryIds.has(key)) continue;
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
