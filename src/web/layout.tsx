import type { Child } from 'hono/jsx';
import { roleAllows, type Actor, type Role } from '../auth/roles.js';
import { assetUrl, type AssetName } from './assets.js';
import { LOCALES, wordsIn, type Words } from './i18n/words.js';
import type { Messages } from './i18n/en.js';

export type Section = 'dashboard' | 'search' | 'imports' | 'categories' | 'bot-authors';

/** The navigation, lowest role first; a link is shown only to those who may open it. */
const NAV: Array<{ section: Section; href: string; label: keyof Messages['nav']; role: Role }> = [
  { section: 'dashboard', href: '/', label: 'dashboard', role: 'bot' },
  { section: 'search', href: '/search', label: 'search', role: 'staff' },
  { section: 'imports', href: '/imports', label: 'imports', role: 'staff' },
  { section: 'categories', href: '/categories', label: 'categories', role: 'bot' },
  { section: 'bot-authors', href: '/bot-authors', label: 'botAuthors', role: 'admin' },
];

export interface LayoutProps {
  w: Words;
  title: string;
  actor?: Actor | undefined;
  section?: Section;
  scripts?: AssetName[];
  children?: Child;
}

/**
 * The other languages, each named in itself (a person who cannot read the page's language still
 * finds their own). A plain form: it works without scripts, and the choice is kept in a cookie.
 */
function LanguageSwitch({ w }: { w: Words }) {
  return (
    <form class="language" method="post" action="/language">
      <input type="hidden" name="back" value={w.here} />
      {LOCALES.filter((locale) => locale !== w.locale).map((locale) => (
        <button type="submit" name="lang" value={locale} lang={locale} class="link-button">
          {wordsIn(locale).t.languageName}
        </button>
      ))}
    </form>
  );
}

export function Layout({ w, title, actor, section, scripts = [], children }: LayoutProps) {
  const { t } = w;
  return (
    <html lang={w.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t.app.name}`}</title>
        {/* No favicon request: the console has no icon of its own. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assetUrl('console.css')} />
        <script src={assetUrl('console.js')} defer></script>
        {scripts.map((name) => (
          <script src={assetUrl(name)} defer></script>
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.app.skip}
        </a>
        <header class="top">
          <a class="brand" href="/">
            {t.app.name}
          </a>
          {actor && (
            <nav aria-label={t.app.mainNav}>
              <ul>
                {NAV.filter((item) => roleAllows(actor.role, item.role)).map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                      {t.nav[item.label]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div class="top-end">
            <LanguageSwitch w={w} />
            {actor && (
              <form class="who" method="post" action="/sign-out">
                <span>
                  <span class="who-name">{actor.name}</span> <span class={`role role-${actor.role}`}>{t.roles[actor.role]}</span>
                </span>
                <button type="submit" class="link-button">
                  {t.app.signOut}
                </button>
              </form>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

export type AlertKind = 'error' | 'success' | 'info';

/** A message on the page; errors are announced to screen readers as they appear. */
export function Alert({ kind, children }: { kind: AlertKind; children?: Child }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
