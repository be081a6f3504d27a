import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { AppError, ValidationError } from '../errors.js';

export interface Upload {
  file: Readable;
  filename: string | null;
  /** Form fields sent before the file part (a web form's category, on_duplicate, …). */
  fields: Record<string, string>;
  /** Size of the file when the client said it (text/csv with Content-Length). */
  bytesTotal: number | null;
}

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'text/tab-separated-values']);
/** An .xlsx workbook; the importer tells it from CSV by its first bytes, whatever the type said. */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The uploaded file as a stream, whichever way it was sent: a raw `text/csv` body or the `file`
 * field of a `multipart/form-data` form. Nothing is buffered whole; the importer reads as it arrives.
 */
export async function openUpload(request: Request, maxBytes: number): Promise<Upload> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `Uploads are limited to ${maxBytes} bytes; this one is ${declaredLength}`, { max_bytes: maxBytes });
  }
  if (!request.body) throw new ValidationError('The request has no body; send the CSV file as text/csv or multipart/form-data');
  const body = Readable.fromWeb(request.body as unknown as WebReadableStream);

  if (CSV_TYPES.has(mediaType) || mediaType === XLSX_TYPE) {
    const filename = new URL(request.url).searchParams.get('filename');
    return { file: body, filename, fields: {}, bytesTotal: Number.isFinite(declaredLength) ? declaredLength : null };
  }
  if (mediaType === 'multipart/form-data') return openMultipartFile(body, contentType);
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the file as text/csv, ${XLSX_TYPE} or multipart/form-data (got "${mediaType || 'no content type'}")`);
}

function openMultipartFile(body: Readable, contentType: string): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 20, fieldSize: 1024 } });
    } catch {
      reject(new ValidationError('The multipart body has no boundary'));
      return;
    }
    const fields: Record<string, string> = {};
    let found = false;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || found) {
        file.resume();
        return;
      }
      found = true;
      resolve({ file, filename: info.filename ?? null, fields: { ...fields }, bytesTotal: null });
    });
    parser.on('error', (error) => (found ? undefined : reject(new ValidationError(`The multipart body is malformed: ${(error as Error).message}`))));
    parser.on('close', () => {
      if (!found) reject(new ValidationError('The form has no "file" field with the CSV file'));
    });
    body.on('error', (error) => parser.destroy(error));
    body.pipe(parser);
  });
}
