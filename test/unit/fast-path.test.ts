import fc from 'fast-check';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { fastInternational, fastNational } from '../../src/phone/fast-path.js';

/** What a full libphonenumber parse says, as the reference the fast path must agree with. */
function fullParse(text: string) {
  try {
    const parsed = parsePhoneNumberWithError(text, { defaultCountry: 'ID', extract: false });
    const type = parsed.getType();
    return type === undefined ? null : { e164: parsed.number, type, region: parsed.country };
  } catch {
    return null;
  }
}

// Random digits weighted towards what Indonesian numbers look like, plus anything at all.
const nationalDigits = fc.oneof(
  fc.stringMatching(/^8[0-9]{7,12}$/),
  fc.stringMatching(/^[2-9][0-9]{5,11}$/),
  fc.stringMatching(/^[0-9]{1,16}$/),
);

describe('the ID fast path agrees with a full libphonenumber parse', () => {
  it('when it accepts a national number, then the full parse gives the same number and type', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nationalDigits, fc.boolean(), (digits, withTrunkZero) => {
        const written = withTrunkZero ? `0${digits}` : digits;
        const fast = fastNational(written, 'ID');
        if (fast === null) return;
        accepted += 1;
        expect(fullParse(written)).toEqual(fast);
      }),
      { numRuns: 20_000 },
    );
    // Guard against a vacuous pass: most Indonesian-shaped numbers take the fast path.
    expect(accepted).toBeGreaterThan(2_000);
  });

  it('when it accepts an international number, then the full parse of +digits gives the same answer', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nationalDigits, (digits) => {
        const fast = fastInternational(`62${digits}`, 'ID');
        if (fast === null) return;
        accepted += 1;
        expect(fullParse(`+62${digits}`)).toEqual(fast);
      }),
      { numRuns: 20_000 },
    );
    expect(accepted).toBeGreaterThan(2_000);
  });

  it('when the region has no fast path, then it always defers to the full parse', () => {
    expect(fastNational('07911123456', 'GB')).toBeNull();
    expect(fastInternational('447911123456', 'GB')).toBeNull();
  });
});
