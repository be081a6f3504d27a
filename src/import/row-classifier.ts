import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';
import { CategoryResolver, type CategoryResolverOptions } from './category-resolver.js';
import type { CsvRow } from './read-csv-rows.js';

export interface RowClassifierOptions extends CategoryResolverOptions {
  defaultRegion: CountryCode;
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
  /** The last line a rejection covers when it covers several (a stray quote), else null. */
  lastLine: number | null;
}

/** Decides what each row is: a number to file in a named category, or a rejection with a reason. */
export class RowClassifier {
  rowsRead = 0;
  private valid = 0;
  private invalid = 0;
  readonly categories: CategoryResolver;

  constructor(private readonly options: RowClassifierOptions) {
    this.categories = new CategoryResolver(options);
  }

  classify(rows: CsvRow[]): ClassifiedRow[] {
    const classified: ClassifiedRow[] = new Array(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index]!;
      if (row.rejected) {
        this.invalid += 1;
        classified[index] = { line: row.line, original: row.phone, normalized: null, numberType: null, categoryKey: null, reason: row.rejected.reason, lastLine: row.rejected.lastLine };
        continue;
      }
      const number = normalizePhoneNumber(row.phone, { defaultRegion: this.options.defaultRegion });
      const category = this.categories.resolve(row.category);
      const reason = number.valid ? ('reason' in category ? category.reason : null) : number.reason;
      if (reason === null) this.valid += 1;
      else this.invalid += 1;
      classified[index] = {
        line: row.line,
        original: row.phone,
        normalized: reason === null ? number.e164 : null,
        numberType: reason === null ? number.type : null,
        categoryKey: 'key' in category ? category.key : null,
        reason,
        lastLine: null,
      };
    }
    this.rowsRead += rows.length;
    return classified;
  }

  counts(): { rows: number; valid: number; invalid: number } {
    return { rows: this.rowsRead, valid: this.valid, invalid: this.invalid };
  }
}
