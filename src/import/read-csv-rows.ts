import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { findColumns, detectDelimiter, type CsvColumns } from './csv-columns.js';
import { DecodeText } from './decode-text.js';
import { ImportFileError } from './import-errors.js';

export interface CsvRow {
  /** Line number in the file, header = line 1. */
  line: number;
  phone: string;
  category: string | null;
}

/** One cell may not exceed this: past it, an unclosed quote is swallowing the rest of the file. */
const MAX_RECORD_BYTES = 64 * 1024;

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
export function readCsvRows(input: Readable, maxBytes?: number): CsvRowReader {
  const decoder = new DecodeText(maxBytes);
  return { rows: readBatches(input, decoder), bytesRead: () => decoder.bytesRead };
}

async function* readBatches(input: Readable, decoder: DecodeText): AsyncGenerator<CsvRow[]> {
  input.on('error', (error) => decoder.destroy(error));
  const text = input.pipe(decoder)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  // The delimiter is decided from the header line, before the parser is built.
  let head = '';
  while (!/[\r\n]/.test(head)) {
    const next = await text.next();
    if (next.done) break;
    head += next.value.toString('utf8');
  }
  if (head.trim() === '') throw new ImportFileError('EMPTY_FILE', 'The file has no header line');
  const delimiter = detectDelimiter(head.split(/\r?\n|\r/, 1)[0]!);

  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  async function* allText() {
    yield head;
    for (let next = await text.next(); !next.done; next = await text.next()) yield next.value.toString('utf8');
  }
  const feeding = pipeline(Readable.from(allText()), parser).catch((error: unknown) => parser.destroy(error as Error));

  let columns: CsvColumns | undefined;
  let batch: CsvRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = findColumns(record);
        continue;
      }
      batch.push({
        line: info.lines,
        phone: record[columns.phone] ?? '',
        category: columns.category === null ? null : record[columns.category]?.trim() || null,
      });
      if (batch.length >= 2000) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw asFileError(error);
  } finally {
    parser.destroy();
    input.destroy();
  }
  await feeding;
  if (!columns) throw new ImportFileError('EMPTY_FILE', 'The file has no header line');
  if (batch.length > 0) yield batch;
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
