import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';

/** Shorter than a trigram, a search matches nearly everything: no index narrows it. */
export const MIN_NARROW_SEARCH_LENGTH = 3;

/** What one search box query looks for. */
export interface SearchTerms {
  /** ILIKE patterns, any of which may match the normalized or the original number. */
  numberPatterns: string[];
  /** The start of a normalized number ("+628123"), when the query is a number's written beginning. */
  normalizedPrefix: string | null;
  /** ILIKE pattern for category names. */
  categoryPattern: string;
  /** ILIKE pattern for contact names; null when the query is a number's start ("+62…"), which no name holds. */
  namePattern: string | null;
  /** Long enough for the trigram index to narrow it down. */
  narrow: boolean;
  /** The query read as a whole number, when it is one: that number is found exactly, and first. */
  exact: string | null;
}

/** Escapes LIKE wildcards so that a search for "10%" means the characters, not a pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

const WRITTEN_NUMBER = /^[\d\s\-.()/+]+$/;

/**
 * The query as typed matches anywhere in either number (the contract). A query that looks like
 * part of a written number also matches the way numbers are stored: "812-3456" as the digits
 * 8123456 anywhere; a national "0812 3456" or international "0062 812" as the start of +62812….
 * A query starting with "+" is matched as the start of the stored number only: "+" can only begin a
 * number, so that is the same set, and the trigram index would pay dearly to look for "+628…" as
 * text ("628" is in every stored number).
 */
export function searchTerms(query: string, defaultRegion: CountryCode): SearchTerms {
  // Punctuation at the ends ("+62…", "(0812)") adds little and costs much: the trigram index reads
  // it as a word boundary, and "start of a word 62" is in every stored number.
  const core = query.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '') || query;
  const contains = `%${escapeLike(core)}%`;
  const number = normalizePhoneNumber(query, { defaultRegion });
  const terms = { categoryPattern: contains, namePattern: contains as string | null, narrow: core.length >= MIN_NARROW_SEARCH_LENGTH, exact: number.valid ? number.e164 : null };
  const digits = query.replace(/\D/g, '');
  if (!WRITTEN_NUMBER.test(query) || digits.length === 0) return { ...terms, numberPatterns: [contains], normalizedPrefix: null };

  // "(0812) 345" starts at its first digit or "+", not at the bracket.
  const start = query.replace(/^[^\d+]+/, '');
  let normalizedPrefix: string | null = null;
  if (start.startsWith('+')) normalizedPrefix = `+${digits}`;
  else if (start.startsWith('00')) normalizedPrefix = digits.length > 2 ? `+${digits.slice(2)}` : null;
  else if (start.startsWith('0')) normalizedPrefix = digits.length > 1 ? `+${getCountryCallingCode(defaultRegion)}${digits.slice(1)}` : null;
  if (start.startsWith('+')) return { ...terms, namePattern: null, numberPatterns: [], normalizedPrefix };
  if (normalizedPrefix) return { ...terms, numberPatterns: [contains], normalizedPrefix };
  return { ...terms, numberPatterns: [...new Set([contains, `%${digits}%`])], normalizedPrefix: null };
}
