import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppError, ErrorCode } from '../errors.js';

/** Each code's HTTP status: the one place that knows (API.md lists the same pairs). */
const ERROR_STATUS = {
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
  UNRESOLVED_IDENTITY: 404,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

/** 400 for a malformed request; 422 for a well-formed one that asks for something that cannot be. */
export function statusOf(error: AppError): ContentfulStatusCode {
  if (error.code === 'VALIDATION_FAILED' && error.unprocessable) return 422;
  return ERROR_STATUS[error.code];
}
