import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { admitKey } from '../auth/gate.js';
import { roleAllows, type Actor, type Role } from '../auth/roles.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/router.js';

/**
 * The console's session is the API key itself, in a cookie the page's scripts cannot read
 * (HttpOnly) and the browser sends to this site only (SameSite=Strict). Every request checks it
 * with the same `authenticate` verb and the same per-key rate limit as the API, so a revoked key
 * is refused on the next click.
 */
export const SESSION_COOKIE = 'wa_console_key';

/** Only the scripts and styles this app serves; no inline code, no other origin. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Behind a TLS-terminating proxy the app sees http; the proxy's header says what the browser used. */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

export function startSession(c: Context, key: string): void {
  setCookie(c, SESSION_COOKIE, key, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

/** Headers of every console response: its own CSP, and never cached (the pages show private data). */
export const consoleHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CONSOLE_CSP);
  if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
};

/** A path on this site to come back to after signing in; anything else (`//evil`, `https:`) is dropped. */
export function localPath(value: string | undefined | null): string | null {
  // Browsers drop tabs and line breaks from a URL and read `\` as `/`, so `/\t/evil.example` is
  // `//evil.example`: refuse both outright, then let the URL parser be the judge of the origin.
  if (!value || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return null;
  const base = 'http://console.invalid';
  const url = new URL(value, base);
  if (url.origin !== base || value.startsWith('//')) return null;
  return url.pathname + url.search + url.hash;
}

export interface SignedInOptions {
  /**
   * For requests made by the page's scripts (search results, progress): answer 401 instead of
   * redirecting, so the script can send the person to the sign-in page itself.
   */
  fetched?: boolean;
}

/**
 * The console's guard, declared next to each route like `access()` is on the API: no cookie →
 * the sign-in page; a bad or revoked key → the sign-in page saying so (and the cookie is cleared);
 * a role too low → a 403 page that says which role is needed.
 */
export function signedIn(needed: Role, options: SignedInOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = getCookie(c, SESSION_COOKIE);
    const signInAgain = (reason: 'signed_out' | 'invalid') => {
      if (reason === 'invalid') endSession(c);
      if (options.fetched) return c.json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in again', sign_in: '/sign-in' } }, 401);
      const back = new URL(c.req.url);
      const query = new URLSearchParams({ next: back.pathname + back.search });
      if (reason === 'invalid') query.set('reason', 'invalid');
      return c.redirect(`/sign-in?${query}`, 303);
    };
    if (!key) return signInAgain('signed_out');
    const actor = await admitKey(c, key);
    if (!actor) return signInAgain('invalid');
    c.set('actor', actor);
    c.set('ctx', { ...c.get('ctx'), actor });
    if (!roleAllows(actor.role, needed)) throw forbidden(actor, needed);
    await next();
  };
}

export function forbidden(actor: Actor, needed: Role): AppError {
  return new AppError('FORBIDDEN', `This needs the ${needed} role. You are signed in as "${actor.name}", a ${actor.role} key.`, {
    needed,
    role: actor.role,
  });
}

/**
 * Refuses a state-changing request that another site's page made the browser send (CSRF): the
 * browser's own Sec-Fetch-Site must say same-origin, or, from a browser too old to send it, the
 * Origin must be this host. A request carrying neither is refused too: the console's forms and
 * scripts always send them.
 */
export const sameOriginOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isSameOrigin(c)) {
    throw new AppError('FORBIDDEN', 'This form was sent from another site, so it was refused. Open the console and try again.', {
      reason: 'CROSS_SITE_REQUEST',
    });
  }
  await next();
};

function isSameOrigin(c: Context): boolean {
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite !== undefined) return fetchSite === 'same-origin';
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
