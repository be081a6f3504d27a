import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTooLarge } from '../import-errors.js';

export interface SpooledFile {
  path: string;
  bytes: number;
  /** Removes the file; safe to call more than once. */
  remove(): Promise<void>;
}

/** Counts the bytes going by and refuses the file once it passes the limit. */
class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(fileTooLarge(this.maxBytes));
      return;
    }
    callback(null, chunk);
  }
}

/**
 * Writes the input to a private temporary file. A zip's directory is at its end, and its entries
 * may come in any order (the sheet before the shared strings it refers to), so a workbook is read
 * from a file, not as it arrives; the disk holds at most the upload limit, never the memory.
 */
export async function spoolToFile(input: Readable, maxBytes: number, onBytes: (bytes: number) => void): Promise<SpooledFile> {
  const directory = await mkdtemp(path.join(tmpdir(), 'wa-import-'));
  const file = path.join(directory, 'upload.xlsx');
  const remove = () => rm(directory, { recursive: true, force: true });
  const limit = new ByteLimit(maxBytes);
  limit.on('data', () => onBytes(limit.bytes));
  try {
    await pipeline(input, limit, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path: file, bytes: limit.bytes, remove };
}
