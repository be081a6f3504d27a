import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { en, type Messages } from './en.js';
import { id } from './id.js';

export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The language a person chose with the switch; it outlives sessions (signing out keeps it). */
export const LOCALE_COOKIE = 'wa_lang';

const CATALOGS: Record<Locale, Messages> = { id, en };
/** Intl locales: English dates are written day first too (22 Nov 2026), as in Indonesia. */
const INTL: Record<Locale, string> = { id: 'id-ID', en: 'en-US' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The remembered choice first, then the browser's languages in their order of preference, then
 * Indonesian: the people this console is for are in Indonesia.
 */
export function chooseLocale(chosen: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(chosen)) return chosen;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  // `in` is Malay, and Indonesian's old code: a browser may still send either for Bahasa.
  for (const { base } of ranked) {
    if (base === 'id' || base === 'in' || base === 'ms') return 'id';
    if (base === 'en') return 'en';
  }
  return 'id';
}

/** The words and formats of one request's language, handed to every page and component. */
export interface Words {
  locale: Locale;
  /** The Intl locale the numbers and dates are written in (`id-ID`, `en-US`), also for the page's scripts. */
  tag: string;
  t: Messages;
  /** The page's own path and query, for the language switch to come back to. */
  here: string;
  count(value: number): string;
  percent(value: number): string;
  /** One decimal: `12,5` / `12.5`. */
  tenths(value: number): string;
  /** `22 Nov 2026` (id: `22 Des 2026`), in UTC. */
  date(iso: string | null): string;
  /** `22 Nov 2026 14:05 UTC` (id: `22 Des 2026 14.05 UTC`). */
  time(iso: string | null): string;
}

export function wordsIn(locale: Locale, here = '/'): Words {
  const tag = INTL[locale];
  const counts = new Intl.NumberFormat(tag);
  const percents = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dates = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const clock = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
  const date = (iso: string | null) => {
    if (!iso) return '—';
    const parts = Object.fromEntries(dates.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
    return `${parts.day} ${parts.month} ${parts.year}`;
  };
  return {
    locale,
    tag,
    t: CATALOGS[locale],
    here,
    count: (value) => counts.format(value),
    percent: (value) => `${percents.format(value)} %`,
    tenths: (value) => percents.format(value),
    date,
    time: (iso) => (iso ? `${date(iso)} ${clock.format(new Date(iso))} UTC` : '—'),
  };
}

/** This request's language: the person's choice (cookie), else the browser's, else Indonesian. */
export function wordsFor(c: Context): Words {
  const url = new URL(c.req.url);
  return wordsIn(chooseLocale(getCookie(c, LOCALE_COOKIE), c.req.header('accept-language')), url.pathname + url.search);
}
