import { parsePhoneNumberWithError, ParseError, type CountryCode, type NumberType as LibraryNumberType } from 'libphonenumber-js/max';
import { getCountryCallingCode, isSupportedCountry, validatePhoneNumberLength } from 'libphonenumber-js/max';
import { toAsciiDigits } from './ascii-digits.js';
import { fastInternational, fastNational, type FastResult } from './fast-path.js';
import { readSpreadsheetNumber } from './spreadsheet-number.js';
import type { RejectionReason } from './rejection-reason.js';
import { readWhatsAppId } from './whatsapp-id.js';

export type NumberType = NonNullable<LibraryNumberType>;

export type NormalizedPhoneNumber =
  | { valid: true; e164: string; type: NumberType; region: string | null; reason: null }
  | { valid: false; e164: null; type: null; region: null; reason: RejectionReason };

export interface NormalizeOptions {
  defaultRegion: CountryCode;
}

/** Longer than any phone number written with generous punctuation; bounds the work per cell. */
const MAX_INPUT_LENGTH = 64;
/** Separators people type between digit groups. Anything else (letters, `#`, `*`) is not a number. */
const SEPARATORS = /[\s\-.\/\u00A0\u2010-\u2015]/g;
/** `+` and 15 digits. */
const E164_MAX_LENGTH = 16;
const TRUNK_ZERO_AFTER_COUNTRY_CODE = /^(\+\d{1,3})\s*\(0\)/;

function reject(reason: RejectionReason): NormalizedPhoneNumber {
  return { valid: false, e164: null, type: null, region: null, reason };
}

/**
 * Turns any way a person, a spreadsheet or a WhatsApp bot writes a phone number into E.164, or says
 * why it cannot. Pure and total: it never throws and never guesses (no extraction from free text).
 */
export function normalizePhoneNumber(input: unknown, options: NormalizeOptions): NormalizedPhoneNumber {
  if (typeof input !== 'string' && typeof input !== 'number') return reject('NOT_A_NUMBER');
  let text = toAsciiDigits(String(input)).trim();
  if (text === '') return reject('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return reject('TOO_LONG');

  // A WhatsApp id always carries the country code, written without `+`.
  let international = false;
  const jid = readWhatsAppId(text);
  if (jid.kind === 'refused') return reject(jid.reason);
  if (jid.kind === 'phone') {
    text = jid.digits;
    international = true;
  }

  const spreadsheet = readSpreadsheetNumber(text);
  if (spreadsheet.kind === 'refused') return reject(spreadsheet.reason);
  if (spreadsheet.kind === 'digits') text = spreadsheet.digits;

  text = stripTelUri(text);
  // "+62 (0) 812…": the (0) is the national trunk prefix that must not be dialled after +62.
  text = text.replace(TRUNK_ZERO_AFTER_COUNTRY_CODE, '$1');
  const compact = text.replace(SEPARATORS, '').replace(/[()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return reject('NOT_A_NUMBER');

  const region = options.defaultRegion;
  if (compact.startsWith('+')) return parseInternational(compact.slice(1), region);
  // "00" is the international call prefix used across most of the world, Indonesia included;
  // libphonenumber only knows ID's carrier-specific 008/009, so it is handled here.
  if (compact.startsWith('00')) return parseInternational(compact.slice(2), region);
  if (international) return parseInternational(compact, region);
  return parseWithoutPlus(compact, region);
}

function stripTelUri(text: string): string {
  if (!/^tel:/i.test(text)) return text;
  const withoutScheme = text.slice(4);
  const params = withoutScheme.indexOf(';');
  return params === -1 ? withoutScheme : withoutScheme.slice(0, params);
}

/**
 * Digits written without `+` or `00`: either national ("0812…", "812…") or international with the
 * plus left off ("62812…", what most bots and exports write). The international reading wins when
 * it starts with the region's country code and is a valid number, because a national number never
 * starts with the country code once its trunk zero is dropped (and ID area codes starting 62… are
 * always written 062…).
 */
function parseWithoutPlus(digits: string, region: CountryCode): NormalizedPhoneNumber {
  const callingCode = isSupportedCountry(region) ? getCountryCallingCode(region) : null;
  if (callingCode && digits.startsWith(callingCode) && !digits.startsWith('0')) {
    const asInternational = parseInternational(digits, region);
    if (asInternational.valid) return asInternational;
    return classify(digits, region);
  }
  return valid(fastNational(digits, region)) ?? classify(digits, region);
}

function parseInternational(digits: string, region: CountryCode): NormalizedPhoneNumber {
  return valid(fastInternational(digits, region)) ?? classify(`+${digits}`, undefined);
}

function valid(result: FastResult | null): NormalizedPhoneNumber | null {
  return result && { valid: true, e164: result.e164, type: result.type, region: result.region, reason: null };
}

function classify(text: string, region: CountryCode | undefined): NormalizedPhoneNumber {
  const digitCount = text.replace(/\D/g, '').length;
  if (digitCount > 17) return reject('TOO_LONG');
  try {
    const parsed = parsePhoneNumberWithError(text, { defaultCountry: region, extract: false });
    // E.164 allows 15 digits; a few national plans (DE, ID) let libphonenumber accept longer ones.
    if (parsed.number.length > E164_MAX_LENGTH) return reject('TOO_LONG');
    // With "max" metadata a number is valid exactly when it has a type, so one call answers both.
    const type = parsed.getType();
    if (type !== undefined) {
      return { valid: true, e164: parsed.number, type, region: parsed.country ?? null, reason: null };
    }
    const lengthProblem = validatePhoneNumberLength(text, { defaultCountry: region });
    if (lengthProblem === 'TOO_SHORT' || lengthProblem === 'TOO_LONG') return reject(lengthProblem);
    return reject('INVALID_FOR_REGION');
  } catch (error) {
    if (error instanceof ParseError) return reject(reasonFromParseError(error.message));
    return reject('NOT_A_NUMBER');
  }
}

function reasonFromParseError(message: string): RejectionReason {
  switch (message) {
    case 'TOO_SHORT':
      return 'TOO_SHORT';
    case 'TOO_LONG':
      return 'TOO_LONG';
    case 'INVALID_COUNTRY':
      return 'INVALID_COUNTRY_CODE';
    default:
      return 'NOT_A_NUMBER';
  }
}
