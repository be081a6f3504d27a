import type { Child } from 'hono/jsx';
import { roleAllows, type Actor, type Role } from '../auth/roles.js';
import { assetUrl, type AssetName } from './assets.js';

export type Section = 'dashboard' | 'search' | 'imports' | 'categories';

/** The navigation, lowest role first; a link is shown only to those who may open it. */
const NAV: Array<{ section: Section; href: string; label: string; role: Role }> = [
  { section: 'dashboard', href: '/', label: 'Dashboard', role: 'bot' },
  { section: 'search', href: '/search', label: 'Search', role: 'staff' },
  { section: 'imports', href: '/imports', label: 'Import', role: 'staff' },
  { section: 'categories', href: '/categories', label: 'Categories', role: 'bot' },
];

export interface LayoutProps {
  title: string;
  actor?: Actor | undefined;
  section?: Section;
  scripts?: AssetName[];
  children?: Child;
}

export function Layout({ title, actor, section, scripts = [], children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — Contact categories`}</title>
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
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            Contact categories
          </a>
          {actor && (
            <nav aria-label="Main">
              <ul>
                {NAV.filter((item) => roleAllows(actor.role, item.role)).map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {actor && (
            <form class="who" method="post" action="/sign-out">
              <span>
                <span class="who-name">{actor.name}</span> <span class={`role role-${actor.role}`}>{actor.role}</span>
              </span>
              <button type="submit" class="link-button">
                Sign out
              </button>
            </form>
          )}
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

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Dates in UTC, written the same on every machine: 2026-11-22 14:05 UTC. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
