import { randomUUID } from 'node:crypto';
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './router.js';

/**
 * The headers every answer carries, the same set hono's secureHeaders() sends by default (which
 * this replaces), computed once. A route may send its own value of any of them (the console's
 * Content-Security-Policy is added per page): the route's wins.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Node's response with the standing headers added where the status line is written. Setting them
 * from middleware instead (c.header / res.headers.set) makes every answer build a WHATWG Headers
 * object, then turn it back into a plain object for Node: ~10 µs a request, a quarter of a cached
 * lookup's cost (profiled). Here a route's answer (a plain object when it set no header of its own)
 * goes to Node as it is, with these spread under it.
 */
export class ServerResponseWithStandingHeaders<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  /** Set by the request-id middleware. */
  requestId: string | undefined;

  override writeHead(statusCode: number, reasonOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], maybeHeaders?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
    const headers = typeof reasonOrHeaders === 'string' ? maybeHeaders : reasonOrHeaders;
    if (Array.isArray(headers)) {
      // Raw header lists are not used by @hono/node-server; set ours where the route has none.
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!this.hasHeader(name)) this.setHeader(name, value);
      if (this.requestId !== undefined && !this.hasHeader(REQUEST_ID_HEADER)) this.setHeader(REQUEST_ID_HEADER, this.requestId);
      return reason === undefined ? super.writeHead(statusCode, headers) : super.writeHead(statusCode, reason, headers);
    }
    const merged: OutgoingHttpHeaders = this.requestId === undefined ? { ...SECURITY_HEADERS, ...headers } : { ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: this.requestId, ...headers };
    return reason === undefined ? super.writeHead(statusCode, merged) : super.writeHead(statusCode, reason, merged);
  }
}

/** The options `serve()` needs so that answers carry the standing headers cheaply. */
export const standingHeadersServerOptions = { ServerResponse: ServerResponseWithStandingHeaders } as const;

/** An id a client sent may be reused when it is short and plain, as hono's requestId() allowed. */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The request's id: the client's X-Request-Id when it is plain, else a new UUID. */
export function requestIdFrom(sent: string | undefined): string {
  return sent !== undefined && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Gives each request an id (the client's X-Request-Id when it is plain, else a UUID) for the logs
 * and the error envelope, and makes sure the answer carries it and the security headers: through
 * Node's response when served by our server, else (app.request() in tests, another runtime) the
 * ordinary way, with the same result.
 */
export const requestIdAndStandingHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
  c.set('requestId', id);
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponseWithStandingHeaders) {
    outgoing.requestId = id;
    await next();
    return;
  }
  await next();
  const headers = c.res.headers;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!headers.has(name)) headers.set(name, value);
  if (!headers.has(REQUEST_ID_HEADER)) headers.set(REQUEST_ID_HEADER, id);
};
