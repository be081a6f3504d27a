import { ImportFileError } from './import-errors.js';

/** Row-level reasons about a row's category. */
export type CategoryRejection = 'NO_CATEGORY' | 'UNKNOWN_CATEGORY' | 'INVALID_CATEGORY';

export interface CategoryResolverOptions {
  knownCategories: string[];
  /** Category for rows without one of their own. */
  fileCategory: string | null;
  /** The file's category for every row, whatever a row's own category cell says. */
  fileCategoryForEveryRow?: boolean;
  createCategories: boolean;
}

const MAX_CATEGORY_NAME = 100;
/** Keeps memory flat when a column holds garbage instead of a few category names. */
const MAX_CACHED_NAMES = 10_000;

/**
 * Which category a row goes to, matched without case as the database's unique index does. Names
 * that do not exist are rejected, or remembered for creation when the import may create them.
 */
export class CategoryResolver {
  private readonly known = new Set<string>();
  private readonly toCreate = new Map<string, string>();
  private readonly fileCategory: string | null;
  /** Cell text → its key or rejection; a file names few categories, so this stays tiny. */
  private readonly cache = new Map<string, { key: string } | { reason: CategoryRejection }>();

  constructor(private readonly options: CategoryResolverOptions) {
    for (const name of options.knownCategories) this.known.add(name.toLowerCase());
    this.fileCategory = options.fileCategory?.trim() || null;
  }

  /** A whole-file category that does not exist fails the import before a row is read. */
  assertFileCategoryUsable(): void {
    if (!this.fileCategory) return;
    if ('reason' in this.resolve(null)) {
      throw new ImportFileError('UNKNOWN_CATEGORY', `Category "${this.fileCategory}" does not exist; create it first or pick another`, {
        category: this.fileCategory,
      });
    }
  }

  /** The row's own category cell, or the file's category when the cell is empty (or always, when asked). */
  resolve(cell: string | null): { key: string } | { reason: CategoryRejection } {
    const name = this.options.fileCategoryForEveryRow ? this.fileCategory : (cell ?? this.fileCategory);
    if (!name) return { reason: 'NO_CATEGORY' };
    const cached = this.cache.get(name);
    if (cached) return cached;
    const resolved = this.resolveUncached(name);
    if (this.cache.size < MAX_CACHED_NAMES) this.cache.set(name, resolved);
    return resolved;
  }

  /** Every category to create: [lower-cased key, name as the file first wrote it]. */
  allToCreate(): Array<[string, string]> {
    return [...this.toCreate.entries()];
  }

  private resolveUncached(name: string): { key: string } | { reason: CategoryRejection } {
    if (name.length > MAX_CATEGORY_NAME) return { reason: 'INVALID_CATEGORY' };
    const key = name.toLowerCase();
    if (this.known.has(key)) return { key };
    if (!this.options.createCategories) return { reason: 'UNKNOWN_CATEGORY' };
    if (!this.toCreate.has(key)) this.toCreate.set(key, name);
    return { key };
  }
}
