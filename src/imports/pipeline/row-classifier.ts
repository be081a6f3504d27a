import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number.js';
import { CategoryResolver, type CategoryResolverOptions } from './category-resolver.js';
import { readPhoneCell } from './phone-cell.js';
import type { CsvRow } from './read-csv-rows.js';
import { readSenderIdentity, type SenderIdentity } from '../../phone/sender-identity.js';

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
  /** The contact's name from the row, if any. */
  name: string | null;
  /** LIDs/BSUIDs the row pairs with its number (valid ones only; anything else in those cells is ignored). */
  identities?: SenderIdentity[];
  /** Why the row is rejected, or null. */
  reason: string | null;
  /** The last line a rejection covers when it covers several (a stray quote), else null. */
  lastLine: number | null;
}

export interface ClassifiedCounts {
  rows: number;
  valid: number;
  invalid: number;
  numbersFromSplitCells: number;
}

/** Decides what each row is: a number to file in a named category, or a rejection with a reason. */
export class RowClassifier {
  rowsRead = 0;
  private valid = 0;
  private invalid = 0;
  /** Numbers filed from cells that held several. */
  private fromSplitCells = 0;
  readonly categories: CategoryResolver;

  constructor(private readonly options: RowClassifierOptions) {
    this.categories = new CategoryResolver(options);
  }

  private normalize(text: string) {
    return normalizePhoneNumber(text, { defaultRegion: this.options.defaultRegion });
  }

  private readonly isValidNumber = (text: string) => this.normalize(text).valid;

  classify(rows: CsvRow[]): ClassifiedRow[] {
    const classified: ClassifiedRow[] = [];
    const reject = (row: CsvRow, reason: string, lastLine: number | null = null) => {
      this.invalid += 1;
      classified.push({ line: row.line, original: row.phone, normalized: null, numberType: null, categoryKey: null, name: null, reason, lastLine });
    };
    for (const row of rows) {
      if (row.rejected) {
        reject(row, row.rejected.reason, row.rejected.lastLine ?? null);
        continue;
      }
      const category = this.categories.resolve(row.category);
      const cell = readPhoneCell(row.phone, this.isValidNumber);
      if (cell.kind === 'ambiguous') {
        reject(row, 'AMBIGUOUS_CELL');
        continue;
      }
      if (cell.kind === 'one') {
        const number = this.normalize(cell.text);
        const reason = number.valid ? ('reason' in category ? category.reason : null) : number.reason;
        if (reason !== null) {
          reject(row, reason);
          continue;
        }
        this.valid += 1;
        const filed: ClassifiedRow = { line: row.line, original: row.phone, normalized: number.e164, numberType: number.type, categoryKey: (category as { key: string }).key, name: row.name, reason: null, lastLine: null };
        const identities = row.identities?.flatMap((cell) => readSenderIdentity(cell) ?? []);
        if (identities && identities.length > 0) filed.identities = identities;
        classified.push(filed);
        continue;
      }
      // Several numbers in one cell: each is filed on its own with the row's category. A line has
      // at most one rejection, so the first problem (the category's, or a piece's) speaks for it.
      if ('reason' in category) {
        reject(row, category.reason);
        continue;
      }
      let problem: string | null = null;
      for (const text of cell.texts) {
        const number = this.normalize(text);
        if (!number.valid) {
          problem ??= number.reason;
          continue;
        }
        this.valid += 1;
        this.fromSplitCells += 1;
        classified.push({ line: row.line, original: text, normalized: number.e164, numberType: number.type, categoryKey: category.key, name: row.name, reason: null, lastLine: null });
      }
      if (problem !== null) reject(row, problem);
    }
    this.rowsRead += rows.length;
    return classified;
  }

  counts(): ClassifiedCounts {
    return { rows: this.rowsRead, valid: this.valid, invalid: this.invalid, numbersFromSplitCells: this.fromSplitCells };
  }
}
