import { Hono } from 'hono';
import { admitKey } from '../../auth/gate.js';
import type { AppEnv } from '../../http/router.js';
import { formFields, smallForm } from '../forms.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Alert, Layout, type AlertKind } from '../layout.js';
import { consoleHeaders, endSession, localPath, sameOriginOnly, startSession } from '../session.js';

interface Notice {
  kind: AlertKind;
  text: string;
}

function notices(w: Words): Record<string, Notice> {
  return {
    invalid: { kind: 'error', text: w.t.signIn.invalid },
    signed_out: { kind: 'success', text: w.t.signIn.signedOut },
  };
}

function SignInPage({ w, next, notice }: { w: Words; next: string | null; notice?: Notice | undefined }) {
  const { t } = w;
  return (
    <Layout w={w} title={t.signIn.title}>
      {notice && (
        <Alert kind={notice.kind}>
          <p>{notice.text}</p>
        </Alert>
      )}
      <form method="post" action="/sign-in" class="card narrow">
        <p>{t.signIn.intro}</p>
        <label for="key">{t.signIn.keyLabel}</label>
        <input id="key" name="key" type="password" autocomplete="current-password" required spellcheck={false} placeholder="wak_…" />
        {next && <input type="hidden" name="next" value={next} />}
        <button type="submit">{t.signIn.button}</button>
      </form>
    </Layout>
  );
}

export const signInRoutes = new Hono<AppEnv>()
  .get('/sign-in', consoleHeaders, (c) => {
    const w = wordsFor(c);
    const reason = c.req.query('reason');
    return c.html(<SignInPage w={w} next={localPath(c.req.query('next'))} notice={reason ? notices(w)[reason] : undefined} />);
  })
  .post('/sign-in', consoleHeaders, sameOriginOnly, smallForm, async (c) => {
    const w = wordsFor(c);
    const form = await formFields(c);
    const key = (form.key ?? '').trim();
    const next = localPath(form.next);
    const actor = key ? await admitKey(c, key) : null;
    if (!actor) {
      const text = key ? w.t.signIn.refused : w.t.signIn.empty;
      return c.html(<SignInPage w={w} next={next} notice={{ kind: 'error', text }} />, 401);
    }
    await startSession(c, actor);
    return c.redirect(next ?? '/', 303);
  })
  .post('/sign-out', consoleHeaders, sameOriginOnly, async (c) => {
    await endSession(c);
    return c.redirect('/sign-in?reason=signed_out', 303);
  });
