import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createHash, randomBytes } from 'node:crypto';
import { deleteSession, findLiveSession, insertSession } from '../auth/console-sessions.repository.js';
import { admitWith } from '../auth/gate.js';
import type { Actor, Role } from '../auth/roles.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/router.js';

/**
 * The console's session: the API key is checked once, at sign-in, and never leaves that request.
 * The cookie holds a random session id (256 bits) that the page's scripts cannot read (HttpOnly) and
 * the browser sends to this site only (SameSite=Strict); the database holds only its SHA-256. A
 * session ends after CONSOLE_SESSION_IDLE_MINUTES unused or CONSOLE_SESSION_MAX_HOURS in all, on
 * sign-out, and when its key is revoked. Over https the cookie is `__Host-wa_session` (Secure, whole
 * site, no Domain: no subdomain can set or read it); browsers accept that prefix only with Secure,
 * so plain-http development (http://localhost) uses `wa_session`.
 */
export const SESSION_COOKIE = 'wa_session';
export const SECURE_SESSION_COOKIE = '__Host-wa_session';

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

const sessionCookie = (c: Context) => (isHttps(c) ? SECURE_SESSION_COOKIE : SESSION_COOKIE);
const hashToken = (token: string) => createHash('sha256').update(token).digest();

/** The session id the browser sent, if any. */
export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SECURE_SESSION_COOKIE) ?? getCookie(c, SESSION_COOKIE);
}

export async function startSession(c: Context<AppEnv>, actor: Actor): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await insertSession(c.get('ctx'), hashToken(token), actor.keyId!);
  setCookie(c, sessionCookie(c), token, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = sessionToken(c);
  if (token) await deleteSession(c.get('ctx'), hashToken(token));
  deleteCookie(c, sessionCookie(c), { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

/** The key a live session stands for, or null; the same address and per-key limits as an API key. */
async function admitSession(c: Context<AppEnv>, token: string, needed: Role): Promise<Actor | null> {
  const limits = c.get('consoleSessionLimits');
  const check = async () => {
    const session = await findLiveSession(c.get('ctx'), hashToken(token), limits.idleSeconds, limits.absoluteSeconds);
    return session && { keyId: session.key_id, name: session.name, role: session.role };
  };
  return admitWith(c, check, { needed: { role: needed, forbidden } });
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
    const token = sessionToken(c);
    const signInAgain = async (reason: 'signed_out' | 'invalid') => {
      if (reason === 'invalid') await endSession(c);
      if (options.fetched) return c.json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in again', sign_in: '/sign-in' } }, 401);
      const back = new URL(c.req.url);
      const query = new URLSearchParams({ next: back.pathname + back.search });
      if (reason === 'invalid') query.set('reason', 'invalid');
      return c.redirect(`/sign-in?${query}`, 303);
    };
    if (!token) return signInAgain('signed_out');
    const actor = await admitSession(c, token, needed);
    if (!actor) return signInAgain('invalid');
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
