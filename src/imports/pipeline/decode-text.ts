import { Transform, type TransformCallback } from 'node:stream';
import { fileTooLarge, ImportFileError } from './import-errors.js';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const BOMS: Array<[bytes: number[], encoding: Encoding]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/**
 * Bytes in, UTF-8 text out. Reads UTF-8 with or without a byte-order mark and UTF-16 with one (what
 * Excel writes for "Unicode text"); anything else that is not valid UTF-8, or text with NUL bytes in
 * it, is not a CSV file and fails the import before a row is read. Counts the bytes for progress.
 */
export class DecodeText extends Transform {
  bytesRead = 0;
  private decoder: TextDecoder | undefined;
  private head = Buffer.alloc(0);

  /** @param maxBytes files larger than this fail as TOO_LARGE as soon as the limit is crossed */
  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super({ readableObjectMode: false, decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesRead += chunk.length;
    try {
      if (this.bytesRead > this.maxBytes) {
        throw fileTooLarge(this.maxBytes);
      }
      if (!this.decoder) {
        // A BOM is at most 3 bytes: wait for them before choosing the decoder.
        this.head = Buffer.concat([this.head, chunk]);
        if (this.head.length < 3) return callback();
        chunk = this.chooseDecoder(this.head);
      }
      this.pushText(this.decoder!.decode(chunk, { stream: true }));
      callback();
    } catch (error) {
      callback(asFileError(error));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (!this.decoder) {
        if (this.head.length === 0) throw new ImportFileError('EMPTY_FILE', 'The file is empty');
        const rest = this.chooseDecoder(this.head);
        this.pushText(this.decoder!.decode(rest, { stream: true }));
      }
      this.pushText(this.decoder!.decode());
      callback();
    } catch (error) {
      callback(asFileError(error));
    }
  }

  private chooseDecoder(head: Buffer): Buffer {
    const found = BOMS.find(([bytes]) => bytes.every((byte, index) => head[index] === byte));
    this.decoder = new TextDecoder(found?.[1] ?? 'utf-8', { fatal: true, ignoreBOM: true });
    return head.subarray(found?.[0].length ?? 0);
  }

  private pushText(text: string): void {
    if (text.length === 0) return;
    if (text.includes('\0')) {
      throw new ImportFileError('NOT_TEXT', 'The file is not text (it contains NUL bytes); export the spreadsheet as CSV');
    }
    this.push(text, 'utf8');
  }
}

function asFileError(error: unknown): Error {
  if (error instanceof ImportFileError) return error;
  if (error instanceof TypeError) {
    return new ImportFileError('NOT_TEXT', 'The file is not UTF-8 or UTF-16 text; save the spreadsheet as "CSV UTF-8"');
  }
  return error as Error;
}
