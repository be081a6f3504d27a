import { isUniqueViolation } from '../../db/query.js';
import type { Actor } from '../../auth/roles.js';
import type { PreparedChunk, PreparedRows } from './prepared-chunk.js';
import {
  copyPhoneNumbers,
  copyRejections,
  createCategoryUnlessTaken,
  createSeenTable,
  currentTransactionId,
  findExistingRows,
  markSeen,
  moveToCategory,
  readCategories,
  releaseSavepoint,
  rememberIdentityPairs,
  renameNumbers,
  rollBackToSavepoint,
  savepoint,
  setSequentialScans,
  transactionIdOf,
  type ExistingRow,
  type ImportAuthor,
  type ImportClient,
} from './import-load.repository.js';

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

/** Row positions in a PreparedRows. */
type Picks = number[];

/** Collisions with numbers filed concurrently are retried this many times before the import gives up. */
const MAX_INSERT_ATTEMPTS = 4;
/** After this many chunks that collided with filed numbers, stop hoping the rest are new. */
const OPTIMISM_BUDGET = 2;

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
    private readonly client: ImportClient,
    private readonly options: ChunkLoaderOptions,
  ) {
    this.optimismLeft = options.dryRun ? 0 : OPTIMISM_BUDGET;
  }

  async start(): Promise<void> {
    for (const category of await readCategories(this.client)) this.categoryIds.set(category.name.toLowerCase(), category.id);
    await createSeenTable(this.client);
    this.ownTransactionIds.push(await currentTransactionId(this.client));
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
        await markSeen(this.client, plan.seen.map((i) => rows.normalized[i]!));
      }
    }
    await copyRejections(this.client, chunk.rejections);
    if (!this.options.dryRun && chunk.identities.ids.length > 0) await this.rememberIdentities(chunk.identities);
  }

  /** The identity columns' pairs: one statement per chunk, in the import's transaction. */
  private async rememberIdentities(identities: PreparedChunk['identities']): Promise<void> {
    const pairs = identities.ids.map((id, i) => ({ id, kind: identities.kinds[i]!, normalized: identities.numbers[i]! }));
    await rememberIdentityPairs(this.client, this.options.actor, pairs);
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
      await savepoint(this.client);
      try {
        let text = '';
        const importColumn = `${this.options.importId}\t`;
        for (const i of picks) text += `${rows.copyHeads[i]}${importColumn}${this.categoryIds.get(rows.categoryKeys[i]!)}\n`;
        await copyPhoneNumbers(this.client, text);
        this.ownTransactionIds.push(await this.withIndexScans(() => transactionIdOf(this.client, rows.normalized[picks[0]!]!)));
        await releaseSavepoint(this.client);
        this.counts.inserted += picks.length;
        return;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_INSERT_ATTEMPTS) throw error;
        await rollBackToSavepoint(this.client);
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
    await setSequentialScans(this.client, false);
    try {
      return await work();
    } finally {
      await setSequentialScans(this.client, true);
    }
  }

  private async findExisting(numbers: string[]): Promise<Map<string, ExistingRow>> {
    const rows = await this.withIndexScans(() => findExistingRows(this.client, numbers, this.ownTransactionIds));
    return new Map(rows.map((row) => [row.normalized, row]));
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
      for (const [categoryId, group] of byCategory) await moveToCategory(this.client, this.author(), categoryId, group.numbers, group.names);
    });
  }

  /** Numbers already in the file's category whose contact name the file changes (on_duplicate=move). */
  private async renameRows(rows: PreparedRows, picks: Picks): Promise<void> {
    if (picks.length === 0) return;
    await this.withIndexScans(() => renameNumbers(this.client, this.author(), picks.map((i) => rows.normalized[i]!), picks.map((i) => rows.names[i]!)));
  }

  private author(): ImportAuthor {
    return { actor: this.options.actor, importId: this.options.importId };
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
      const category = await createCategoryUnlessTaken(this.client, name);
      if (category.inserted) this.created.push(name);
      this.categoryIds.set(key, category.id);
    }
  }
}
