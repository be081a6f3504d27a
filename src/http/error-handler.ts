import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BaseError as SequelizeError, ConnectionError as SequelizeConnectionError } from 'sequelize';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, errorEnvelope, type ErrorCode, type ErrorEnvelope } from '../errors.js';
import { statusOf } from './error-status.js';
import type { Logger } from 'pino';
import type { DatabaseOutageLog } from './database-outage.js';
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

/** What a thrown error is, for whoever answers it: the API as JSON, the console as a page. */
export interface ClassifiedError {
  status: ContentfulStatusCode;
  envelope: ErrorEnvelope;
  retryAfter?: string | undefined;
}

/** Where a classification reports what it cannot answer plainly: an outage, an unhandled error. */
export interface ErrorReporting {
  logger?: Logger | undefined;
  outageLog?: DatabaseOutageLog | undefined;
}

/** classifyErrorFor with the request's id and reporting taken from Hono's context. */
export function classifyError(error: Error, c: Context<AppEnv>): ClassifiedError {
  return classifyErrorFor(error, c.get('requestId') ?? 'unknown', { logger: c.get('logger'), outageLog: c.get('outageLog') });
}

/**
 * The one place that decides what a thrown error is, in this order: our own errors, Hono's
 * (malformed JSON, body limits), the database being unreachable, then anything else, which is logged
 * with its stack and answered as INTERNAL without it.
 */
export function classifyErrorFor(error: Error, requestId: string, reporting: ErrorReporting): ClassifiedError {
  if (error instanceof AppError) {
    return { status: statusOf(error), envelope: errorEnvelope(error.code, error.message, requestId, error.details) };
  }
  if (error instanceof HTTPException) {
    const code = STATUS_CODES[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const message = error.message || 'Request refused';
    return { status: error.status as ContentfulStatusCode, envelope: errorEnvelope(code, message, requestId), retryAfter: error.res?.headers.get('Retry-After') ?? undefined };
  }
  if (isDatabaseUnavailable(error)) {
    // One line when the outage starts, summaries while it lasts, one when it ends: not one per request.
    reporting.outageLog?.unavailable(error, requestId);
    return { status: 503, envelope: errorEnvelope('UNAVAILABLE', 'The database is unavailable; try again shortly', requestId) };
  }
  reporting.logger?.error({ err: error, request_id: requestId }, 'unhandled error');
  return { status: 500, envelope: errorEnvelope('INTERNAL', 'Something went wrong on our side; quote the request id when reporting it', requestId) };
}

/** The API's error handler: the classification as the one JSON envelope. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  const { status, envelope, retryAfter } = classifyError(error, c);
  const response = c.json(envelope, status);
  if (retryAfter) response.headers.set('Retry-After', retryAfter);
  return response;
}
