import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv } from '../../http/router.js';
import { formFields, smallForm } from '../forms.js';
import { isLocale, LOCALE_COOKIE } from '../i18n/words.js';
import { consoleHeaders, isHttps, localPath, sameOriginOnly } from '../session.js';

const A_YEAR = 365 * 24 * 60 * 60;

/**
 * The language switch on every page (signed in or not): the choice is kept in a cookie of its own,
 * apart from the session, so it survives signing out; then the person is back on the same page.
 */
export const languageRoutes = new Hono<AppEnv>().post('/language', consoleHeaders, sameOriginOnly, smallForm, async (c) => {
  const form = await formFields(c);
  if (isLocale(form.lang)) {
    setCookie(c, LOCALE_COOKIE, form.lang, { path: '/', sameSite: 'Lax', httpOnly: true, secure: isHttps(c), maxAge: A_YEAR });
  }
  return c.redirect(localPath(form.back) ?? '/', 303);
});
