import { OpenAPIHono } from '@hono/zod-openapi';
import { describeIssues } from '../zod-issues.js';
import type { Logger } from 'pino';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { AddressLimiter } from '../auth/address-limiter.js';
import type { DatabaseOutageLog } from './database-outage.js';
import type { Actor } from '../auth/roles.js';
import type { ServiceContext } from '../context.js';
import { ValidationError } from '../errors.js';

export interface AppEnv {
  Variables: {
    ctx: ServiceContext;
    requestId: string;
    logger: Logger;
    rateLimiter: RateLimiter;
    addressLimiter: AddressLimiter;
    outageLog: DatabaseOutageLog;
    /** How long a console session may sit unused, and live at most. */
    consoleSessionLimits: { idleSeconds: number; absoluteSeconds: number };
    /** Whether X-Forwarded-For is the client's address (TRUST_PROXY). */
    trustProxy: boolean;
    actor: Actor;
  };
}

/**
 * Every router validates with zod and turns a failed validation into the one error envelope, with
 * each problem's path and message in `details` so a client can point at the field.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      const summary = describeIssues(result.error.issues).join('; ');
      throw new ValidationError(`Invalid ${result.target}: ${summary}`, { target: result.target, issues });
    },
  });
}
