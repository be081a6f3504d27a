import { parse } from 'csv-parse/sync';

/**
 * A quote that opens a field mid-file (`Broken,"0857999,Lead`) is closed, under csv-parse's
 * `relax_quotes`, by the next quote in the file, however many lines later: the lines between become
 * one cell. Such a cell is recognizable: csv-parse keeps its opening quote in the value (a properly
 * quoted cell loses it), it holds a line break, and the lines after the break hold the delimiter, as
 * rows do. Every line of the record is still in the record's fields, in order, so joining them gives
 * the lines back to read again on their own.
 */
export function isStrayQuoteRecord(record: string[], delimiter: string): boolean {
  return record.some((field) => {
    if (field.charCodeAt(0) !== 34 /* " */) return false;
    const lineBreak = field.indexOf('\n');
    return lineBreak !== -1 && field.includes(delimiter, lineBreak);
  });
}

/** The lines a stray-quote record ran over, as they were written (without their line ends). */
export function strayQuoteLines(record: string[], delimiter: string): string[] {
  return record.join(delimiter).split('\n').map((line) => line.replace(/\r$/, ''));
}

/** One line read as a record on its own; null when it is not valid CSV by itself. */
export function parseLineAlone(line: string, delimiter: string): string[] | null {
  try {
    const records = parse(line, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
    if (records.length > 1) return null;
    const record = records[0] ?? [];
    return isStrayQuoteRecord(record, delimiter) ? null : record;
  } catch {
    return null;
  }
}
