import { ImportFileError } from '../import-errors.js';
import type { SharedStrings } from './shared-strings.js';
import type { WorkbookParts } from './workbook-parts.js';
import { unescapeExcelText, type XmlHandlers } from './xml-reader.js';

/** A sheet row as text cells (0-based columns); `dates` marks the columns holding a date. */
export interface SheetRecord {
  line: number;
  cells: string[];
  dates: Set<number> | undefined;
}

/** `BC12` → 54 (0-based); a reference without letters gives -1. */
function columnOfReference(reference: string): number {
  let column = 0;
  let index = 0;
  for (; index < reference.length; index += 1) {
    const code = reference.charCodeAt(index) | 0x20; // lower case
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return index === 0 ? -1 : column - 1;
}

const MS_PER_DAY = 86_400_000;
/** Day 0 of Excel's two date systems, as Unix milliseconds (1900's counts the 1900 leap-year bug in). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * Turns a sheet's XML events into rows of text, as the person typed it: a number cell's full digits
 * (`<v>628123456789</v>`, or `6.28123456789E+11` where a writer used an exponent, both read as
 * `628123456789`), text as it is, a formula's last result, TRUE/FALSE, an error as `#N/A`. A cell
 * formatted as a date reads as its ISO date and is marked, so the importer refuses it as a number.
 */
export class SheetCellReader implements XmlHandlers {
  /** Rows completed since the caller last took them. */
  completed: SheetRecord[] = [];
  private cells: string[] = [];
  private dates: Set<number> | undefined;
  private line = 0;
  private column = -1;
  private type = 'n';
  private dateStyle = false;
  private value: string[] = [];
  private collecting = false;
  private inInlineString = false;
  private phonetic = 0;

  constructor(
    private readonly workbook: Pick<WorkbookParts, 'dateStyles' | 'date1904'>,
    private readonly sharedStrings: SharedStrings,
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    switch (name) {
      case 'row':
        this.line = attributes.r ? Number(attributes.r) : this.line + 1;
        this.cells = [];
        this.dates = undefined;
        this.column = -1;
        break;
      case 'c': {
        const reference = attributes.r ? columnOfReference(attributes.r) : -1;
        this.column = reference >= 0 ? reference : this.column + 1;
        this.type = attributes.t ?? 'n';
        this.dateStyle = this.workbook.dateStyles[Number(attributes.s ?? 0)] ?? false;
        this.value = [];
        break;
      }
      case 'v':
        this.collecting = true;
        break;
      case 'is':
        this.inInlineString = true;
        break;
      case 'rPh':
        this.phonetic += 1;
        break;
      case 't':
        this.collecting = this.inInlineString && this.phonetic === 0;
        break;
    }
  }

  text(text: string): void {
    if (this.collecting) this.value.push(text);
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.collecting = false;
        break;
      case 'is':
        this.inInlineString = false;
        break;
      case 'rPh':
        this.phonetic -= 1;
        break;
      case 'c':
        this.finishCell();
        break;
      case 'row':
        this.completed.push({ line: this.line, cells: this.cells, dates: this.dates });
        break;
    }
  }

  private finishCell(): void {
    const raw = this.value.join('');
    let text: string;
    switch (this.type) {
      case 's': {
        const index = Number(raw);
        const shared = this.sharedStrings.get(index);
        if (shared === undefined) throw new ImportFileError('NOT_XLSX', `Row ${this.line} refers to shared string ${raw}, which the workbook does not have`);
        text = shared;
        break;
      }
      case 'inlineStr':
      case 'str':
        text = unescapeExcelText(raw);
        break;
      case 'b':
        text = raw === '1' || raw === 'true' ? 'TRUE' : 'FALSE';
        break;
      case 'e':
        text = raw;
        break;
      case 'd':
        text = raw.slice(0, 10);
        this.markDate();
        break;
      default:
        text = this.numberText(raw);
    }
    while (this.cells.length < this.column) this.cells.push('');
    this.cells[this.column] = text;
  }

  private numberText(raw: string): string {
    const trimmed = raw.trim();
    if (trimmed === '') return '';
    const value = Number(trimmed);
    if (!Number.isFinite(value)) return trimmed;
    if (this.dateStyle) {
      this.markDate();
      const epoch = this.workbook.date1904 ? EPOCH_1904 : EPOCH_1900;
      const date = new Date(epoch + Math.round(value * MS_PER_DAY));
      return Number.isNaN(date.getTime()) ? trimmed : date.toISOString().slice(0, 10);
    }
    // An integer's every digit (a JS number prints integers below 2^53 exactly: never `6.28E+11`).
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  }

  private markDate(): void {
    (this.dates ??= new Set()).add(this.column);
  }
}
