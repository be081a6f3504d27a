import type { Readable } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';
import { findColumns, detectDelimiter, type ColumnChoice, type CsvColumns } from './csv-columns.js';
import { DecodeText } from './decode-text.js';
import { ImportFileError } from './import-errors.js';
import { isStrayQuoteRecord, parseLineAlone, strayQuoteLines } from './stray-quote.js';

export interface CsvRow {
  /** Line number in the file, header = line 1. */
  line: number;
  phone: string;
  category: string | null;
  /** The contact's name, when the file has a name column and the cell is not empty. */
  name: string | null;
  /** Sender ids in the row's identity columns (`lid`, `bsuid`), as written; absent when none. */
  identities?: string[];
  /** A line the reader itself rejects: a stray quote ran from it over `lastLine`; a date in a workbook's phone cell. */
  rejected?: { reason: ReaderRejection; lastLine?: number };
}

/** Reasons the reader itself rejects a line for, before its number is looked at. */
export type ReaderRejection = 'UNBALANCED_QUOTE' | 'NOT_A_NUMBER';

/** One record may not exceed this: past it, an unclosed quote is swallowing the rest of the file. */
const MAX_RECORD_BYTES = 64 * 1024;
const BATCH_ROWS = 5000;
/** phone_numbers.name is varchar(200); a longer cell is cut, not refused (the number is what matters). */
const MAX_NAME_LENGTH = 200;

export interface CsvRowReader {
  rows: AsyncGenerator<CsvRow[]>;
  /** Bytes of the file read so far, for progress. */
  bytesRead(): number;
}

/**
 * Streams a CSV file as batches of rows, in constant memory: decode (BOM, UTF-16, not-text), detect
 * the delimiter from the header line, map the header to columns, then parse. Any problem with the
 * file as a whole surfaces as an ImportFileError from the iterator.
 */
export function readCsvRows(input: Readable, maxBytes?: number, columns: ColumnChoice = {}): CsvRowReader {
  const decoder = new DecodeText(maxBytes);
  return { rows: readBatches(input, decoder, columns), bytesRead: () => decoder.bytesRead };
}

async function* readBatches(input: Readable, decoder: DecodeText, choice: ColumnChoice): AsyncGenerator<CsvRow[]> {
  input.on('error', (error) => decoder.destroy(error));
  input.pipe(decoder);
  let parser: Parser | undefined;
  try {
    const head = await readHeaderLine(decoder);
    if (head.trim() === '') throw new ImportFileError('EMPTY_FILE', 'The file has no header line');
    const delimiter = detectDelimiter(head.split(/\r?\n|\r/, 1)[0]!);
    parser = parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      max_record_size: MAX_RECORD_BYTES,
    });
    parser.write(head);
    decoder.on('error', (error) => parser!.destroy(error));
    decoder.pipe(parser);
    yield* recordsToRows(parser, delimiter, choice);
  } catch (error) {
    throw asFileError(error);
  } finally {
    parser?.destroy();
    decoder.destroy();
    input.destroy();
  }
}

/** Reads decoded text until the first line break, so the delimiter is known before parsing starts. */
async function readHeaderLine(decoder: DecodeText): Promise<string> {
  let head = '';
  while (!/[\r\n]/.test(head)) {
    const chunk = decoder.read() as Buffer | null;
    if (chunk !== null) {
      head += chunk.toString('utf8');
      continue;
    }
    if (decoder.readableEnded) break;
    const ended = await new Promise<boolean>((resolve, reject) => {
      const cleanup = () => {
        decoder.off('readable', onReadable).off('end', onEnd).off('error', onError);
      };
      const onReadable = () => { cleanup(); resolve(false); };
      const onEnd = () => { cleanup(); resolve(true); };
      const onError = (error: Error) => { cleanup(); reject(error); };
      decoder.on('readable', onReadable).on('end', onEnd).on('error', onError);
    });
    if (ended) break;
  }
  return head;
}

/**
 * Line numbers are counted here rather than with csv-parse's `info` option, which builds an object
 * per record and more than doubles the parse time: every record ends one line, and a quoted field
 * with line breaks inside adds those.
 */
async function* recordsToRows(parser: Parser, delimiter: string, choice: ColumnChoice): AsyncGenerator<CsvRow[]> {
  let columns: CsvColumns | undefined;
  let line = 0;
  let batch: CsvRow[] = [];
  for await (const record of parser as AsyncIterable<string[]>) {
    line += 1;
    const firstLine = line;
    for (const field of record) if (field.includes('\n')) line += field.split('\n').length - 1;
    if (record.every((field) => field.trim() === '')) continue;
    if (!columns) {
      columns = findColumns(record, choice);
      continue;
    }
    if (firstLine !== line && isStrayQuoteRecord(record, delimiter)) {
      // No line is lost: the line with the stray quote is rejected with the lines it ran over,
      // and each of those is read again as the row it was.
      const lines = strayQuoteLines(record, delimiter);
      batch.push({ line: firstLine, phone: lines[0]!, category: null, name: null, rejected: { reason: 'UNBALANCED_QUOTE', lastLine: line } });
      for (let index = 1; index < lines.length; index += 1) {
        const alone = parseLineAlone(lines[index]!, delimiter);
        if (alone === null) batch.push({ line: firstLine + index, phone: lines[index]!, category: null, name: null, rejected: { reason: 'UNBALANCED_QUOTE', lastLine: firstLine + index } });
        else if (alone.some((field) => field.trim() !== '')) batch.push(rowFromRecord(alone, firstLine + index, columns));
      }
    } else {
      batch.push(rowFromRecord(record, firstLine, columns));
    }
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (!columns) throw new ImportFileError('EMPTY_FILE', 'The file has no header line');
  if (batch.length > 0) yield batch;
}

/** One record's cells, as the importer reads them (the CSV and the xlsx readers share this). */
export function rowFromRecord(record: string[], line: number, columns: CsvColumns): CsvRow {
  const category = columns.category === null ? '' : (record[columns.category] ?? '').trim();
  const name = columns.name === null ? '' : (record[columns.name] ?? '').trim();
  const row: CsvRow = { line, phone: record[columns.phone] ?? '', category: category === '' ? null : category, name: name === '' ? null : name.slice(0, MAX_NAME_LENGTH) };
  const identities = [columns.lid, columns.bsuid].flatMap((column) => (column === null ? [] : [(record[column] ?? '').trim()])).filter((cell) => cell !== '');
  if (identities.length > 0) row.identities = identities;
  return row;
}

function asFileError(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  const where = line ? ` near line ${line}` : '';
  if (error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE') {
    return new ImportFileError('MALFORMED_CSV', `A quote is opened${where} and never closed; nothing was imported`, { line });
  }
  return new ImportFileError('MALFORMED_CSV', `The file is not valid CSV${where}: ${error.message}`, { line, csv_code: error.code });
}
