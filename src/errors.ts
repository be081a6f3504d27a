import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_NUMBER: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  // A LID or BSUID with no known number (distinct from NOT_FOUND: "a number, not filed").
  UNRESOLVED_IDENTITY: 404,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; request_id: string; details?: unknown };
}

/**
 * A failure the caller can act on. Services throw these without knowing about HTTP; the HTTP layer
 * turns the code into a status and the one error envelope, the CLI into a message and an exit code.
 */
export class AppError extends Error {
  declare readonly status: ContentfulStatusCode;
  declare readonly code: ErrorCode;
  declare readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, status?: ContentfulStatusCode) {
    const resolved = status ?? ERROR_STATUS[code];
    // A caller's mistake (4xx) is an answer, not a fault: nobody reads its stack, and capturing one
    // was ~3% of a bot's lookups, half of which are 404s (profiled). Faults keep theirs.
    const limit = Error.stackTraceLimit;
    if (resolved < 500) Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.status = resolved;
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

/** 400 for a request that is malformed; 422 for one that is well-formed but refers to something impossible. */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown, status: 400 | 422 = 400) {
    super('VALIDATION_FAILED', message, details, status);
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
