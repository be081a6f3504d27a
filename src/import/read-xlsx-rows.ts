import { Transform, type Readable, type TransformCallback } from 'node:stream';
import ExcelJS from 'exceljs';
import { findColumns, type ColumnChoice, type CsvColumns } from './csv-columns.js';
import { ImportFileError } from './import-errors.js';
import { rowFromRecord, type CsvRow, type CsvRowReader } from './read-csv-rows.js';

const BATCH_ROWS = 5000;

/**
 * A cell as the text the person typed: a number cell's full digits (a JS number prints every digit
 * of an integer below 2^53: never `6.28E+11`), text as it is, a formula's result, a rich text's
 * runs. A date in a cell is no number: it reads as its ISO date, which the number reader refuses.
 */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

/** Counts the workbook's bytes, for progress and the size limit (the CSV path's DecodeText does both for text). */
class CountBytes extends Transform {
  bytesRead = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesRead += chunk.length;
    if (this.bytesRead > this.maxBytes) {
      callback(new ImportFileError('TOO_LARGE', `The file is larger than the ${this.maxBytes}-byte limit; nothing was imported`, { max_bytes: this.maxBytes }));
      return;
    }
    callback(null, chunk);
  }
}

/**
 * Streams an .xlsx workbook as batches of rows with exceljs's streaming WorkbookReader: the zip is
 * read entry by entry, a sheet row by row, so memory stays bounded whatever the row count (shared
 * strings are cached: a sheet's cells refer to them by index). The first sheet unless `sheet` names
 * one; a row's line is its row number in the sheet; the first non-empty row is the header.
 */
export function readXlsxRows(input: Readable, options: { maxBytes?: number | undefined; columns: ColumnChoice; sheet?: string | undefined }): CsvRowReader {
  const counter = new CountBytes(options.maxBytes ?? Number.POSITIVE_INFINITY);
  input.on('error', (error) => counter.destroy(error));
  input.pipe(counter);
  return { rows: readBatches(counter, options), bytesRead: () => counter.bytesRead };
}

async function* readBatches(counter: CountBytes, options: { columns: ColumnChoice; sheet?: string | undefined }): AsyncGenerator<CsvRow[]> {
  // Styles are read so that a date cell arrives as a Date, not as its serial number.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(counter, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore', entries: 'ignore' });
  const sheetNames: string[] = [];
  let found = false;
  try {
    for await (const sheet of workbook) {
      const name = (sheet as unknown as { name?: string }).name ?? '';
      sheetNames.push(name);
      const wanted = options.sheet === undefined ? !found : name.trim().toLowerCase() === options.sheet.trim().toLowerCase();
      if (!wanted) {
        // The reader moves on only once a sheet's rows are consumed.
        for await (const _row of sheet) void _row;
        continue;
      }
      found = true;
      yield* sheetRows(sheet, options.columns);
      if (options.sheet === undefined) return;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('NOT_XLSX', `The file is not a readable .xlsx workbook: ${(error as Error).message}`);
  } finally {
    counter.destroy();
  }
  if (!found) {
    if (options.sheet === undefined) throw new ImportFileError('EMPTY_FILE', 'The workbook has no sheet');
    throw new ImportFileError('NO_SUCH_SHEET', `The workbook has no sheet "${options.sheet}" (sheets: ${sheetNames.map((s) => JSON.stringify(s)).join(', ')})`, {
      sheet: options.sheet,
      sheets: sheetNames,
    });
  }
}

async function* sheetRows(sheet: AsyncIterable<ExcelJS.Row>, choice: ColumnChoice): AsyncGenerator<CsvRow[]> {
  let columns: CsvColumns | undefined;
  let batch: CsvRow[] = [];
  for await (const row of sheet) {
    const values = row.values as ExcelJS.CellValue[];
    // row.values is 1-based: index 0 is always empty.
    const record = values.slice(1).map((value) => cellText(value ?? null));
    if (record.every((field) => field.trim() === '')) continue;
    if (!columns) {
      columns = findColumns(record, choice);
      continue;
    }
    const parsed = rowFromRecord(record, row.number, columns);
    // A date is never a phone number, whatever digits its text has.
    if (values[columns.phone + 1] instanceof Date) parsed.rejected = { reason: 'NOT_A_NUMBER' };
    batch.push(parsed);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (!columns) throw new ImportFileError('EMPTY_FILE', 'The sheet has no header row');
  if (batch.length > 0) yield batch;
}
