import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp, createAppState, type App, type AppDependencies } from '../app.js';
import { ServerResponseWithStandingHeaders } from '../http/response-headers.js';
import { createLookupFastPath, type LookupFastPath } from '../lookup/lookup-fast-path.js';

export interface ApiRequestListener {
  app: App;
  lookupFastPath: LookupFastPath;
  /** For node:http's createServer with `standingHeadersServerOptions`. */
  listener: RequestListener<typeof IncomingMessage, typeof ServerResponse>;
}

/**
 * What an API process serves: bots' plain lookups by the fast path, everything else (and every
 * lookup the fast path hands over) by the app. Both share one AppState: one rate limit per key,
 * one key cache, one address limiter.
 */
export function createApiRequestListener(deps: AppDependencies, options: { hostname?: string } = {}): ApiRequestListener {
  const state = createAppState(deps);
  const app = createApp(deps, state);
  // The hostname stands in for a Host header an HTTP/1.0 client left out, as serve() passes it.
  const toApp = getRequestListener(app.fetch, { hostname: options.hostname });
  const lookupFastPath = createLookupFastPath(state, deps.logger);
  const listener: ApiRequestListener['listener'] = (req, res) => {
    if (!(res instanceof ServerResponseWithStandingHeaders)) return void toApp(req, res);
    lookupFastPath.handle(req, res, () => void toApp(req, res));
  };
  return { app, lookupFastPath, listener };
}
