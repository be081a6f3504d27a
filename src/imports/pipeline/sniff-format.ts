import type { Readable } from 'node:stream';
import { ImportFileError } from './import-errors.js';

export type FileFormat = 'csv' | 'xlsx';

/** An .xlsx workbook is a zip: it starts with a local file header, which no text file does. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Which reader a file needs, told from its first bytes (whatever the upload's content type or the
 * file's name said: a workbook sent as text/csv is still a workbook). The bytes stay in the stream.
 * A client that sends nothing for `stallTimeoutMs` is a stalled upload.
 */
export async function sniffFormat(input: Readable, stallTimeoutMs: number): Promise<FileFormat> {
  let head = Buffer.alloc(0);
  try {
    while (head.length < ZIP_MAGIC.length) {
      const chunk = input.read() as Buffer | string | null;
      if (chunk !== null) {
        head = Buffer.concat([head, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
        continue;
      }
      if (input.readableEnded || input.destroyed) break;
      const arrived = await new Promise<boolean>((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timer);
          input.off('readable', onReadable).off('end', onEnd).off('error', onEnd);
          resolve(value);
        };
        const onReadable = () => done(true);
        const onEnd = () => done(true);
        const timer = setTimeout(() => done(false), stallTimeoutMs);
        input.on('readable', onReadable).on('end', onEnd).on('error', onEnd);
      });
      if (!arrived) {
        throw new ImportFileError('STALLED_UPLOAD', `No bytes of the file arrived for ${Math.round(stallTimeoutMs / 1000)} s; the import was stopped and nothing was saved`);
      }
    }
  } finally {
    if (head.length > 0) input.unshift(head);
  }
  return head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC) ? 'xlsx' : 'csv';
}
