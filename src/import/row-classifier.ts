import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';
import { ImportFileError } from './import-errors.js';
import type { CsvRow } from './read-csv-rows.js';

export interface RowClassifierOptions {
  defaultRegion: CountryCode;
  knownCategories: string[];
  fileCategory: string | null;
  createCategories: boolean;
}

export interface ClassifiedRow {
  line: number;
  original: string;
  /** E.164 when the row is to be filed. */
  normalized: string | null;
  numberType: string | null;
  /** Lower-cased category name. */
  categoryKey: string | null;
  /** Why the row is rejected, or null. */
  reason: string | null;
}

/** Row-level reasons on top of the normalizer's. */
export type CategoryRejection = 'NO_CATEGORY' | 'UNKNOWN_CATEGORY' | 'INVALID_CATEGORY';

const MAX_CATEGORY_NAME = 100;
/** Keeps memory flat when a column holds garbage instead of a few category names. */
const MAX_CACHED_NAMES = 10_000;

/**
 * Decides what each row is: a number to file in a named category, or a rejection with a reason.
 * Category names are matched without case, as the database's unique index does.
 */
export class RowClassifier {
  rowsRead = 0;
  private valid = 0;
  private invalid = 0;
  private readonly known = new Set<string>();
  private readonly toCreate = new Map<string, string>();
  private readonly fileCategory: string | null;
  /** Cell text → its key or rejection; a file names few categories, so this stays tiny. */
  private readonly categoryCache = new Map<string, { key: string } | { reason: CategoryRejection }>();

  constructor(private readonly options: RowClassifierOptions) {
    for (const name of options.knownCategories) this.known.add(name.toLowerCase());
    this.fileCategory = options.fileCategory?.trim() || null;
  }

  /** A whole-file category that does not exist fails the import before a row is read. */
  assertFileCategoryUsable(): void {
    if (!this.fileCategory) return;
    const resolved = this.resolveCategory(this.fileCategory);
    if ('reason' in resolved) {
      throw new ImportFileError('UNKNOWN_CATEGORY', `Category "${this.fileCategory}" does not exist; create it first or pick another`, {
        category: this.fileCategory,
      });
    }
  }

  classify(rows: CsvRow[]): ClassifiedRow[] {
    const staged: ClassifiedRow[] = new Array(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index]!;
      const number = normalizePhoneNumber(row.phone, { defaultRegion: this.options.defaultRegion });
      const category = this.resolveCategory(row.category ?? this.fileCategory);
      const reason = number.valid ? ('reason' in category ? category.reason : null) : number.reason;
      if (reason === null) this.valid += 1;
      else this.invalid += 1;
      staged[index] = {
        line: row.line,
        original: row.phone,
        normalized: reason === null ? number.e164 : null,
        numberType: reason === null ? number.type : null,
        categoryKey: 'key' in category ? category.key : null,
        reason,
      };
    }
    this.rowsRead += rows.length;
    return staged;
  }

  counts(): { rows: number; valid: number; invalid: number } {
    return { rows: this.rowsRead, valid: this.valid, invalid: this.invalid };
  }

  /** Every category this file names that does not exist yet: [lower-cased key, name as first written]. */
  allToCreate(): Array<[string, string]> {
    return [...this.toCreate.entries()];
  }

  /** The name as the file first wrote it, for a category this import creates. */
  nameToCreate(key: string): string | undefined {
    return this.toCreate.get(key);
  }

  private resolveCategory(name: string | null): { key: string } | { reason: CategoryRejection } {
    if (!name) return { reason: 'NO_CATEGORY' };
    const cached = this.categoryCache.get(name);
    if (cached) return cached;
    const resolved = this.resolveUncached(name);
    if (this.categoryCache.size < MAX_CACHED_NAMES) this.categoryCache.set(name, resolved);
    return resolved;
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
