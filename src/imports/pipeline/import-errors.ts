import { AppError } from '../../errors.js';

/**
 * A problem with the file as a whole (not text, no phone column, an unclosed quote, too large):
 * the import stops and changes nothing. `reason` is a stable code for clients and the report.
 */
export class ImportFileError extends AppError {
  constructor(
    readonly reason: ImportFileFailure,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(reason === 'TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED', message, { reason, ...details }, { unprocessable: true });
  }
}

/** The file passed IMPORT_MAX_BYTES (however it is read: as text, or spooled as a workbook). */
export function fileTooLarge(maxBytes: number): ImportFileError {
  return new ImportFileError('TOO_LARGE', `The file is larger than the ${maxBytes}-byte limit; nothing was imported`, { max_bytes: maxBytes });
}

export type ImportFileFailure =
  | 'EMPTY_FILE'
  | 'NOT_TEXT'
  | 'NO_PHONE_COLUMN'
  /** A column chosen by name or position (category_column=, name_column=) is not in the file. */
  | 'NO_SUCH_COLUMN'
  /** An .xlsx upload that is not a readable workbook, or names a sheet it does not have. */
  | 'NOT_XLSX'
  | 'NO_SUCH_SHEET'
  | 'MALFORMED_CSV'
  | 'UNKNOWN_CATEGORY'
  | 'TOO_LARGE'
  | 'INTERRUPTED'
  /** No bytes arrived for IMPORT_STALL_TIMEOUT_MS while the importer was reading. */
  | 'STALLED_UPLOAD'
  /** The client went away before the import started. */
  | 'UPLOAD_ABORTED'
  /** The reader in the parser thread stopped making progress (IMPORT_STALL_TIMEOUT_MS). */
  | 'READER_STALLED'
  | 'DATABASE_ERROR';
