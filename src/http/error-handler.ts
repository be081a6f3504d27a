import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BaseError as SequelizeError, ConnectionError as SequelizeConnectionError } from 'sequelize';
import { AppError, errorEnvelope, type ErrorCode } from '../errors.js';
import type { AppEnv } from './router.js';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
  504: 'UNAVAILABLE',
};

/** Connection-level failures (refused, reset, server shutting down, too many clients). */
function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof SequelizeConnectionError) return true;
  if (!(error instanceof SequelizeError)) return false;
  const parent = (error as { parent?: { code?: string; message?: string } }).parent;
  const code = parent?.code ?? '';
  // A connection cut mid-query (the server went away) comes from pg with no code at all.
  return /^(08|57P0|53300)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code) || /^Connection terminated/.test(parent?.message ?? '');
}

/**
 * The one place that turns a thrown error into a response, in this order: our own errors, Hono's
 * (malformed JSON, body limits), the database being unreachable, then anything else, which is logged
 * with its stack and answered as INTERNAL without it.
 */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  if (error instanceof AppError) {
    return c.json(errorEnvelope(error.code, error.message, requestId, error.details), error.status);
  }
  if (error instanceof HTTPException) {
    const code = STATUS_CODES[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const message = error.message || 'Request refused';
    const response = c.json(errorEnvelope(code, message, requestId), error.status);
    const retryAfter = error.res?.headers.get('Retry-After');
    if (retryAfter) response.headers.set('Retry-After', retryAfter);
    return response;
  }
  if (isDatabaseUnavailable(error)) {
    // One line when the outage starts, summaries while it lasts, one when it ends: not one per request.
    c.get('outageLog')?.unavailable(error, requestId);
    return c.json(errorEnvelope('UNAVAILABLE', 'The database is unavailable; try again shortly', requestId), 503);
  }
  c.get('logger')?.error({ err: error, request_id: requestId }, 'unhandled error');
  return c.json(errorEnvelope('INTERNAL', 'Something went wrong on our side; quote the request id when reporting it', requestId), 500);
}
