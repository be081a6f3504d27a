import type { Logger } from 'pino';

/**
 * Bots look numbers up thousands of times a second; a log line for each answer would drown
 * everything else (and cost a third of the lookup). Answered lookups, filed or not, are logged at
 * debug level; refusals and failures of lookups, like every other request, at info.
 */
function isRoutineLookup(path: string, status: number): boolean {
  return (status === 200 || status === 404) && path.startsWith('/v1/lookup');
}

/**
 * The path as logged: a lookup's or an identity's path is a person's number or WhatsApp id, so only
 * the route is kept. Query strings (a search, a number to normalize) are never logged.
 */
export function loggablePath(path: string): string {
  return path.replace(/^(\/v1\/(?:lookup|identities|normalize))\/.+$/, '$1/[redacted]');
}

/** The one line a request leaves in the log, whichever way it was answered (the app, or the lookup fast path). */
export function logRequest(logger: Logger, line: { requestId: string; method: string; path: string; status: number; startedAt: number }): void {
  const level = isRoutineLookup(line.path, line.status) ? 'debug' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    { request_id: line.requestId, method: line.method, path: loggablePath(line.path), status: line.status, ms: Math.round(performance.now() - line.startedAt) },
    'request',
  );
}
