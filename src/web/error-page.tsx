import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorEnvelope } from '../errors.js';
import { handleError } from '../http/error-handler.js';
import type { AppEnv } from '../http/router.js';
import { Alert, Layout } from './layout.js';

const TITLES: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'The database is unavailable',
  INTERNAL: 'Something went wrong',
};

/** Whether the page's own script asked (it wants the envelope), rather than the person's browser. */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The console's error handler. The API's handler decides what an error is (our own, the
 * database down, anything else logged and hidden), so both answer alike; the console then shows
 * its message on a page instead of as JSON. A stack never reaches the browser.
 */
export async function handleConsoleError(error: Error, c: Context<AppEnv>): Promise<Response> {
  const response = handleError(error, c);
  if (wantsJson(c)) return response;
  const envelope = (await response.json()) as ErrorEnvelope;
  const { code, message, request_id: requestId } = envelope.error;
  const page = (
    <Layout title={TITLES[code] ?? 'That did not work'} actor={c.get('actor')}>
      <Alert kind="error">
        <p>{message}</p>
        {(code === 'INTERNAL' || code === 'UNAVAILABLE') && <p class="muted">Request id: {requestId}</p>}
      </Alert>
      <p>
        <a href={c.get('actor') ? '/' : '/sign-in'}>{c.get('actor') ? 'Back to the dashboard' : 'Sign in'}</a>
      </p>
    </Layout>
  );
  const html = await c.html(page, response.status as ContentfulStatusCode);
  const retryAfter = response.headers.get('Retry-After');
  if (retryAfter) html.headers.set('Retry-After', retryAfter);
  return html;
}
