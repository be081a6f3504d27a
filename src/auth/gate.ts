import type { Context } from 'hono';
import { AppError } from '../errors.js';
import type { ServiceContext } from '../context.js';
import type { AppEnv } from '../http/router.js';
import { apiKeyPrefix } from './api-key-secret.js';
import { authenticate } from './api-keys.service.js';
import { roleAllows, type Actor, type Role } from './roles.js';

/** The role a route needs, and how a key below it is told so (the API and the console word it for their readers). */
export interface Needed {
  role: Role;
  forbidden(actor: Actor, needed: Role): AppError;
}

/**
 * The one gate every key passes, for the API, the console and sign-in alike: the address's limit on
 * failed keys (before any key is looked up), the key itself, then the key's own rate limit.
 * Returns the actor, or null for a key that is not valid (each caller words that for its reader);
 * throws RATE_LIMITED with Retry-After, and FORBIDDEN when `needed` names a role the key lacks.
 */
export async function admitKey(c: Context<AppEnv>, presented: string, needed?: Needed): Promise<Actor | null> {
  return admitWith(c, () => authenticate(c.get('ctx'), presented), { known: isKnownKey(c.get('ctx'), presented), needed });
}

/**
 * The gate around any credential (an API key, a console session): the address's failure limit before
 * `check` runs (unless the credential is one this process already knows), failures counted, the
 * key's own rate limit, then, for a route, its role: the admitted actor becomes the request's
 * (its services record it), also on a 403 (the console's error page shows who is signed in).
 */
export async function admitWith(
  c: Context<AppEnv>,
  check: () => Promise<Actor | null>,
  { known = false, needed }: { known?: boolean; needed?: Needed | undefined } = {},
): Promise<Actor | null> {
  const address = clientAddress(c);
  const addressWait = c.get('addressLimiter').retryAfter(address);
  if (addressWait > 0 && !known) throw rateLimited(c, addressWait, 'Too many invalid keys or sessions from this address');
  const actor = await check();
  if (!actor) {
    c.get('addressLimiter').fail(address);
    return null;
  }
  const taken = c.get('rateLimiter').take(actor.keyId!);
  const keyWait = typeof taken === 'number' ? taken : await taken;
  if (keyWait > 0) throw rateLimited(c, keyWait, 'Too many requests for this key');
  if (needed) {
    c.set('actor', actor);
    c.set('ctx', { ...c.get('ctx'), actor });
    if (!roleAllows(actor.role, needed.role)) throw needed.forbidden(actor, needed.role);
  }
  return actor;
}

/**
 * A key whose row this process holds (valid or revoked, the hash is still checked by authenticate).
 * The lookup fast path serves only such keys; the gate lets them past the address's failure limit.
 */
export function isKnownKey(ctx: Pick<ServiceContext, 'apiKeyCache'>, presented: string): boolean {
  const prefix = apiKeyPrefix(presented);
  return prefix !== null && Boolean(ctx.apiKeyCache?.get(prefix));
}

function rateLimited(c: Context<AppEnv>, seconds: number, what: string): AppError {
  c.header('Retry-After', String(seconds));
  return new AppError('RATE_LIMITED', `${what}; try again in ${seconds} s`, { retry_after: seconds });
}

/**
 * The address a request came from: the socket's peer, or, behind a proxy we were told to trust
 * (TRUST_PROXY), the address that proxy saw (the last X-Forwarded-For entry). Trusting the header
 * without a proxy would let any client pick its own address and dodge the limit.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('trustProxy')) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
