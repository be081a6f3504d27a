import type { CountryCode } from 'libphonenumber-js/max';
import { InvalidNumberError } from '../errors.js';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';
import { readSenderIdentity } from '../phone/sender-identity.js';
import type { NormalizeResult } from './normalize.schemas.js';

export interface RegionContext {
  defaultRegion: CountryCode;
}

/** `kind` says what the input is: a phone number, a LID or a BSUID (never a number), or null for neither. */
export function normalizeNumber(ctx: RegionContext, input: string): NormalizeResult {
  const result = normalizePhoneNumber(input, { defaultRegion: ctx.defaultRegion });
  const identity = result.valid ? null : readSenderIdentity(input);
  if (identity) {
    return { input, valid: false, kind: identity.kind, id: identity.id, normalized_number: null, type: null, region: null, reason: 'NOT_A_PHONE_ID' };
  }
  return {
    input,
    valid: result.valid,
    kind: result.valid ? 'phone' : null,
    normalized_number: result.e164,
    type: result.type,
    region: result.region,
    reason: result.reason,
  };
}

/** The E.164 form of `input`, or INVALID_NUMBER with the reason code. */
export function requireValidNumber(ctx: RegionContext, input: string): { e164: string; type: string } {
  const result = normalizePhoneNumber(input, { defaultRegion: ctx.defaultRegion });
  if (!result.valid) throw new InvalidNumberError(input, result.reason);
  return { e164: result.e164, type: result.type };
}
