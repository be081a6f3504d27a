import type { Context } from 'hono';
import { classifyError } from '../http/error-handler.js';
import type { AppEnv } from '../http/router.js';
import { errorInWords } from './i18n/error-words.js';
import { wordsFor } from './i18n/words.js';
import { Alert, Layout } from './layout.js';

/** Whether the page's own script asked (it wants the envelope), rather than the person's browser. */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The console's error handler. The API's classification decides what an error is (our own, the
 * database down, anything else logged and hidden), so both answer alike; the console then says
 * it in its own words on a page instead of as JSON. A stack never reaches the browser. The page's
 * scripts get the envelope with those words beside the API's message (`words`).
 */
export async function handleConsoleError(error: Error, c: Context<AppEnv>): Promise<Response> {
  const { status, envelope, retryAfter } = classifyError(error, c);
  const w = wordsFor(c);
  const actor = c.get('actor');
  const words = errorInWords(w, envelope.error, actor);
  const answer = wantsJson(c)
    ? c.json({ error: { ...envelope.error, words } }, status)
    : await c.html(
        <Layout w={w} title={w.t.errors.titles[envelope.error.code]} actor={actor}>
          <Alert kind="error">
            <p>{words}</p>
            {(envelope.error.code === 'INTERNAL' || envelope.error.code === 'UNAVAILABLE') && (
              <p class="muted">
                {w.t.errors.requestId}: {envelope.error.request_id}
              </p>
            )}
          </Alert>
          <p>
            <a href={actor ? '/' : '/sign-in'}>{actor ? w.t.errors.backHome : w.t.errors.signIn}</a>
          </p>
        </Layout>,
        status,
      );
  if (retryAfter) answer.headers.set('Retry-After', retryAfter);
  return answer;
}
