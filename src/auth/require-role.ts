import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/router.js';
import { admitKey } from './gate.js';
import type { Actor, Role } from './roles.js';

/** The key an Authorization header presents ("Bearer <key>"), or null for none or another scheme. */
export function bearerKey(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? null;
}

/**
 * Declared next to each route: who may call it. 401 without a key or with a bad or revoked one,
 * 403 for a role too low, 429 once the key has used its minute.
 */
export function requireRole(needed: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const presented = bearerKey(c.req.header('authorization'));
    if (presented === null) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>"');
    }
    const actor = await admitKey(c, presented, { role: needed, forbidden });
    if (!actor) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new AppError('UNAUTHENTICATED', 'This API key is not valid (unknown, malformed or revoked)');
    }
    await next();
  };
}

function forbidden(actor: Actor, needed: Role): AppError {
  return new AppError('FORBIDDEN', `This needs the ${needed} role; the key "${actor.name}" is ${actor.role}`, { needed, role: actor.role });
}

/** The route fields that declare its access: the middleware, the OpenAPI security and its role. */
export function access(role: Role) {
  return {
    middleware: requireRole(role),
    security: [{ bearerAuth: [] }],
    'x-required-role': role,
  };
}
