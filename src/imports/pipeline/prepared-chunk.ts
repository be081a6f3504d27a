import type { ClassifiedRow } from './row-classifier.js';
import { SeenNumbersFilter } from './seen-numbers-filter.js';

/** Valid rows, one per number, as parallel arrays (cheap to pass between threads). */
export interface PreparedRows {
  normalized: string[];
  categoryKeys: string[];
  /** The contact's name per row (null when the file has none). */
  names: Array<string | null>;
  /** `original \t normalized \t number_type \t name \t` in COPY text format: the import and category ids complete the line. */
  copyHeads: string[];
}

/**
 * One chunk of a file, made ready for the database by the parsing thread: rejected rows already in
 * COPY format, duplicates within the chunk dropped (the first row wins), and the rest split by
 * whether their number may have been met in an earlier chunk.
 */
export interface PreparedChunk {
  rejections: string;
  duplicatesInChunk: number;
  maybeMet: PreparedRows;
  neverMet: PreparedRows;
  /** Sender id → number pairs the rows carried (identity columns), in file order: the latest wins. */
  identities: { ids: string[]; kinds: Array<'lid' | 'bsuid'>; numbers: string[] };
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text format: backslash, tab, newline and carriage return are escaped; `\N` is NULL. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (char) => COPY_ESCAPES[char]!) : value;
}

/**
 * Rows in key order make PostgreSQL's unique-index inserts land on neighbouring pages, which are
 * then already in cache (measured: about 5% faster at a million rows than in file order).
 */
function sortedByNumber(rows: PreparedRows): PreparedRows {
  const order = rows.normalized.map((_, index) => index).sort((a, b) => (rows.normalized[a]! < rows.normalized[b]! ? -1 : 1));
  return {
    normalized: order.map((i) => rows.normalized[i]!),
    categoryKeys: order.map((i) => rows.categoryKeys[i]!),
    names: order.map((i) => rows.names[i]!),
    copyHeads: order.map((i) => rows.copyHeads[i]!),
  };
}

function emptyRows(): PreparedRows {
  return { normalized: [], categoryKeys: [], names: [], copyHeads: [] };
}

export class ChunkPreparer {
  private readonly met = new SeenNumbersFilter();

  constructor(private readonly importId: number) {}

  prepare(rows: ClassifiedRow[]): PreparedChunk {
    const chunk: PreparedChunk = { rejections: '', duplicatesInChunk: 0, maybeMet: emptyRows(), neverMet: emptyRows(), identities: { ids: [], kinds: [], numbers: [] } };
    const inChunk = new Set<string>();
    for (const row of rows) {
      if (row.reason !== null) {
        chunk.rejections += `${this.importId}\t${row.line}\t${copyText(row.original.slice(0, 200))}\t${row.reason}\t${row.lastLine ?? '\\N'}\n`;
        continue;
      }
      const normalized = row.normalized!;
      for (const identity of row.identities ?? []) {
        chunk.identities.ids.push(identity.id);
        chunk.identities.kinds.push(identity.kind);
        chunk.identities.numbers.push(normalized);
      }
      if (inChunk.has(normalized)) {
        chunk.duplicatesInChunk += 1;
        continue;
      }
      inChunk.add(normalized);
      const target = this.met.addAndCheck(normalized) ? chunk.maybeMet : chunk.neverMet;
      target.normalized.push(normalized);
      target.categoryKeys.push(row.categoryKey!);
      target.names.push(row.name);
      target.copyHeads.push(`${copyText(row.original.slice(0, 100))}\t${normalized}\t${copyText(row.numberType)}\t${copyText(row.name)}\t`);
    }
    return { ...chunk, maybeMet: sortedByNumber(chunk.maybeMet), neverMet: sortedByNumber(chunk.neverMet) };
  }
}
