import type { Sequelize } from 'sequelize';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Logger } from 'pino';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { categoriesRouter } from './categories/categories.routes.js';
import { AppError, errorEnvelope } from './errors.js';
import { healthRouter } from './health/health.routes.js';
import { handleError } from './http/error-handler.js';
import { createRouter } from './http/router.js';
import { lookupRouter } from './lookup/lookup.routes.js';
import { normalizeRouter } from './normalize/normalize.routes.js';
import { createImportsRouter } from './imports/imports.routes.js';
import { phoneNumbersRouter } from './phone-numbers/phone-numbers.routes.js';

export interface AppDependencies {
  sequelize: Sequelize;
  defaultRegion: CountryCode;
  logger: Logger;
  importMaxBytes?: number;
}

/** JSON bodies are small (≤ 1000 numbers in a batch lookup); anything bigger is refused unread. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_IMPORT_MAX_BYTES = 512 * 1024 * 1024;

export function createApp(deps: AppDependencies) {
  const app = createRouter();

  app.use(requestId());
  app.use(async (c, next) => {
    const logger = deps.logger.child({ request_id: c.var.requestId });
    c.set('logger', logger);
    c.set('ctx', { sequelize: deps.sequelize, defaultRegion: deps.defaultRegion });
    const started = performance.now();
    await next();
    logger.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });
  app.use(secureHeaders());
  // Imports stream their body and count bytes themselves (IMPORT_MAX_BYTES); every other body is JSON.
  const jsonBodyLimit = bodyLimit({
      maxSize: JSON_BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${JSON_BODY_LIMIT_BYTES} bytes`);
      },
  });
  app.use('/v1/*', (c, next) => (c.req.path === '/v1/imports' && c.req.method === 'POST' ? next() : jsonBodyLimit(c, next)));

  app.route('/', healthRouter);
  app.route('/v1', normalizeRouter);
  app.route('/v1', lookupRouter);
  app.route('/v1', categoriesRouter);
  app.route('/v1', phoneNumbersRouter);
  app.route('/v1', createImportsRouter({ maxBytes: deps.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES }));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'WhatsApp contact categories', version: '1.0.0' },
  });

  app.notFound((c) =>
    c.json(errorEnvelope('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`, c.var.requestId ?? 'unknown'), 404),
  );
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
