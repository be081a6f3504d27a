/** The error codes of the contract (API.md); src/http/error-status.ts gives each its status. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_NUMBER',
  'RATE_LIMITED',
  'INTERNAL',
  'UNAVAILABLE',
  // A LID or BSUID with no known number (distinct from NOT_FOUND: "a number, not filed").
  'UNRESOLVED_IDENTITY',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Our own faults, as opposed to a caller's mistake. */
const FAULTS: ReadonlySet<ErrorCode> = new Set(['INTERNAL', 'UNAVAILABLE']);

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; request_id: string; details?: unknown };
}

export interface AppErrorOptions {
  /**
   * The request was well-formed but asks for something that cannot be (an unknown category, a file
   * with no phone column), as opposed to a malformed one. The contract answers the two differently.
   */
  unprocessable?: boolean;
}

/**
 * A failure the caller can act on. Services throw these without knowing about HTTP: a code, a
 * message and details. The HTTP layer turns the code into a status and the one error envelope
 * (src/http/error-status.ts), the console into its own words, the CLI into a message and an exit code.
 */
export class AppError extends Error {
  declare readonly code: ErrorCode;
  declare readonly details?: unknown;
  declare readonly unprocessable: boolean;

  constructor(code: ErrorCode, message: string, details?: unknown, options: AppErrorOptions = {}) {
    // A caller's mistake is an answer, not a fault: nobody reads its stack, and capturing one was
    // ~3% of a bot's lookups, half of which are 404s (profiled). Faults keep theirs.
    const limit = Error.stackTraceLimit;
    if (!FAULTS.has(code)) Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.unprocessable = options.unprocessable ?? false;
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: unknown) {
    super('NOT_FOUND', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, details);
  }
}

/** A request that is malformed, or (`unprocessable`) well-formed but refers to something impossible. */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown, options: AppErrorOptions = {}) {
    super('VALIDATION_FAILED', message, details, options);
  }
}

export class InvalidNumberError extends AppError {
  constructor(input: string, reason: string) {
    super('INVALID_NUMBER', `"${input}" is not a phone number we can file (${reason})`, { input, reason });
  }
}

export function errorEnvelope(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorEnvelope {
  return { error: { code, message, request_id: requestId, ...(details === undefined ? {} : { details }) } };
}
