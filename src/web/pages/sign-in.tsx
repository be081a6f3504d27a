import { Hono } from 'hono';
import { admitKey } from '../../auth/gate.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/router.js';
import { formFields, smallForm } from '../forms.js';
import { Alert, Layout, type AlertKind } from '../layout.js';
import { consoleHeaders, endSession, localPath, sameOriginOnly, startSession } from '../session.js';

const NOTICES: Record<string, { kind: AlertKind; text: string }> = {
  invalid: { kind: 'error', text: 'Your key is not accepted any more (it was revoked, or is unknown). Sign in with a valid key.' },
  signed_out: { kind: 'success', text: 'You are signed out.' },
};

function SignInPage({ next, notice }: { next: string | null; notice?: { kind: AlertKind; text: string } | undefined }) {
  return (
    <Layout title="Sign in">
      {notice && (
        <Alert kind={notice.kind}>
          <p>{notice.text}</p>
        </Alert>
      )}
      <form method="post" action="/sign-in" class="card narrow">
        <p>Paste the API key you were given. It stays in this browser until you sign out.</p>
        <label for="key">API key</label>
        <input id="key" name="key" type="password" autocomplete="current-password" required spellcheck={false} placeholder="wak_…" />
        {next && <input type="hidden" name="next" value={next} />}
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export const signInRoutes = new Hono<AppEnv>()
  .get('/sign-in', consoleHeaders, (c) => {
    const reason = c.req.query('reason');
    return c.html(<SignInPage next={localPath(c.req.query('next'))} notice={reason ? NOTICES[reason] : undefined} />);
  })
  .post('/sign-in', consoleHeaders, sameOriginOnly, smallForm, async (c) => {
    const form = await formFields(c);
    const key = (form.key ?? '').trim();
    const next = localPath(form.next);
    const actor = key ? await admitKey(c, key) : null;
    if (!actor) {
      const text = key ? 'That key was not accepted: it is mistyped, unknown or revoked.' : 'Paste your API key to sign in.';
      return c.html(<SignInPage next={next} notice={{ kind: 'error', text }} />, 401);
    }
    await startSession(c, actor);
    return c.redirect(next ?? '/', 303);
  })
  .post('/sign-out', consoleHeaders, sameOriginOnly, async (c) => {
    await endSession(c);
    return c.redirect('/sign-in?reason=signed_out', 303);
  });
