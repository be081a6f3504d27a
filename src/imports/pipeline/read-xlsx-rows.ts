import type { Readable } from 'node:stream';
import { findColumns, type ColumnChoice, type CsvColumns } from './csv-columns.js';
import { ImportFileError } from './import-errors.js';
import { rowFromRecord, type CsvRow, type CsvRowReader } from './read-csv-rows.js';
import { SheetCellReader } from './xlsx/sheet-cells.js';
import { spoolToFile, type SpooledFile } from './xlsx/spool-to-file.js';
import { readSharedStrings, readWorkbookParts, type SheetRef } from './xlsx/workbook-parts.js';
import { parseXmlChunks } from './xlsx/xml-reader.js';
import { ZipFile } from './xlsx/zip-file.js';

const BATCH_ROWS = 5000;

interface XlsxOptions {
  maxBytes?: number | undefined;
  columns: ColumnChoice;
  sheet?: string | undefined;
}

/**
 * Streams an .xlsx workbook's sheet as batches of rows, in bounded memory whatever the row count.
 * The workbook is spooled to a temporary file first (a zip's directory is at its end, and writers
 * put the sheet before or after the shared strings it refers to), then read in the order reading
 * needs: the sheet list, the date formats, the shared strings (every distinct text, cached by
 * index), then the sheet's XML as a stream. The first sheet unless `sheet` names one; a row's line
 * is its row number in the sheet; the first non-empty row is the header.
 *
 * Progress: a workbook cannot be read before it has arrived whole, so its bytes count as read in
 * proportion to how much of the sheet has been read, reaching the file's size at the last row.
 */
export function readXlsxRows(input: Readable, options: XlsxOptions): CsvRowReader {
  const progress = { received: 0, sheetFraction: 0 };
  return {
    rows: readBatches(input, options, progress),
    bytesRead: () => Math.round(progress.received * progress.sheetFraction),
  };
}

async function* readBatches(input: Readable, options: XlsxOptions, progress: { received: number; sheetFraction: number }): AsyncGenerator<CsvRow[]> {
  let spooled: SpooledFile | undefined;
  let zip: ZipFile | undefined;
  try {
    spooled = await spoolToFile(input, options.maxBytes ?? Number.POSITIVE_INFINITY, (bytes) => (progress.received = bytes));
    zip = await ZipFile.open(spooled.path).catch((error: Error) => {
      throw new ImportFileError('NOT_XLSX', `The file is not a readable .xlsx workbook: ${error.message}`);
    });
    const workbook = await readWorkbookParts(zip);
    const sheet = chooseSheet(workbook.sheets, options.sheet);
    const sharedStrings = await readSharedStrings(zip, workbook.sharedStringsPart);
    const entry = zip.entry(sheet.part);
    if (!entry) throw new ImportFileError('NOT_XLSX', `The workbook names a sheet "${sheet.name}" that is not in the file`);
    const cells = new SheetCellReader(workbook, sharedStrings);
    let sheetBytesRead = 0;
    const onChunk = (bytes: number) => {
      sheetBytesRead += bytes;
      progress.sheetFraction = entry.uncompressedSize > 0 ? Math.min(1, sheetBytesRead / entry.uncompressedSize) : 1;
    };
    yield* sheetRows(parseXmlChunks(await zip.stream(entry), cells), cells, options.columns, onChunk);
    progress.sheetFraction = 1;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('NOT_XLSX', `The file is not a readable .xlsx workbook: ${(error as Error).message}`);
  } finally {
    zip?.close();
    await spooled?.remove();
  }
}

function chooseSheet(sheets: SheetRef[], wanted: string | undefined): SheetRef {
  if (sheets.length === 0) throw new ImportFileError('EMPTY_FILE', 'The workbook has no sheet');
  if (wanted === undefined) return sheets[0]!;
  const key = wanted.trim().toLowerCase();
  const sheet = sheets.find((candidate) => candidate.name.trim().toLowerCase() === key);
  if (sheet) return sheet;
  throw new ImportFileError('NO_SUCH_SHEET', `The workbook has no sheet "${wanted}" (sheets: ${sheets.map((s) => JSON.stringify(s.name)).join(', ')})`, {
    sheet: wanted,
    sheets: sheets.map((s) => s.name),
  });
}

async function* sheetRows(chunks: AsyncGenerator<number>, cells: SheetCellReader, choice: ColumnChoice, onChunk: (bytes: number) => void): AsyncGenerator<CsvRow[]> {
  let columns: CsvColumns | undefined;
  let batch: CsvRow[] = [];
  for await (const bytes of chunks) {
    onChunk(bytes);
    const records = cells.completed;
    cells.completed = [];
    for (const record of records) {
      if (record.cells.every((field) => field.trim() === '')) continue;
      if (!columns) {
        columns = findColumns(record.cells, choice);
        continue;
      }
      const row = rowFromRecord(record.cells, record.line, columns);
      // A date is never a phone number, whatever digits its text has.
      if (record.dates?.has(columns.phone)) row.rejected = { reason: 'NOT_A_NUMBER' };
      batch.push(row);
    }
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (!columns) throw new ImportFileError('EMPTY_FILE', 'The sheet has no header row');
  if (batch.length > 0) yield batch;
}
