import type { ColumnChoice } from './csv-columns.js';
import type { FileFormat } from './sniff-format.js';
import type { PreparedChunk } from './prepared-chunk.js';
import type { ClassifiedCounts, RowClassifierOptions } from './row-classifier.js';

export interface ParseWorkerData {
  importId: number;
  classifier: RowClassifierOptions;
  maxBytes: number | undefined;
  chunkRows: number;
  columns: ColumnChoice;
  format: FileFormat;
  /** The workbook's sheet to read (xlsx); the first when not given. */
  sheet: string | undefined;
  /** Chunks sent and not yet taken by the loader before the worker waits. */
  chunksAhead: number;
}

export type ToParser =
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'end' }
  /** The loader took a chunk: the worker may send another. */
  | { type: 'taken' };

export type FromParser =
  | { type: 'rows'; chunk: PreparedChunk; bytesRead: number; rowsRead: number; newCategories: Array<[key: string, name: string]> }
  | { type: 'progress'; bytesRead: number; rowsRead: number }
  /** Input bytes the worker's streams have taken in: the only thing the sender's window waits on. */
  | { type: 'consumed'; bytes: number }
  | {
      type: 'done';
      counts: ClassifiedCounts;
      toCreate: Array<[key: string, name: string]>;
      bytesRead: number;
    }
  | { type: 'error'; message: string; reason?: string | undefined; details?: unknown };
