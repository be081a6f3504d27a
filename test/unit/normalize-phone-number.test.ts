import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhoneNumber } from '../../src/phone/normalize-phone-number.js';
import { ACCEPTED_FORMS, REFUSED_FORMS } from '../fixtures/number-forms.js';

const normalize = (input: unknown) => normalizePhoneNumber(input, { defaultRegion: 'ID' });

describe('normalizePhoneNumber: every accepted form in API.md', () => {
  it.each(ACCEPTED_FORMS)('when given %j, then it is %s', (input, e164) => {
    expect(normalize(input)).toMatchObject({ valid: true, e164, reason: null });
  });

  it.each([
    ['08123456789', '+628123456789'],
    ['8123456789', '+628123456789'],
    ['628123456789', '+628123456789'],
    ['+62 812-3456-789', '+628123456789'],
    ['0812-3456-789', '+628123456789'],
    ['0062 812 3456 789', '+628123456789'],
    ['00 62 812 3456 789', '+628123456789'],
    ['+62 (0) 812 3456 789', '+628123456789'],
    ['(021) 555-1234', '+62215551234'],
    ['62218765432', '+62218765432'],
    ['０８１２３４５６７８９', '+628123456789'],
    ['＋６２ ８１２ ３４５６ ７８９', '+628123456789'],
    ['٠٨١٢٣٤٥٦٧٨٩', '+628123456789'],
    ['۰۸۱۲۳۴۵۶۷۸۹', '+628123456789'],
    ['tel:+62-812-3456-789', '+628123456789'],
    ['TEL:+628123456789;ext=12', '+628123456789'],
    ['6281234567890@s.whatsapp.net', '+6281234567890'],
    ['6281234567890@c.us', '+6281234567890'],
    ['6281234567890:12@s.whatsapp.net', '+6281234567890'],
    ['628123456789.0', '+628123456789'],
    ['628123456789,0', '+628123456789'],
    ['6.28123456789E+11', '+628123456789'],
    ['6,28123456789E+11', '+628123456789'],
    ['  0812 3456 789  ', '+628123456789'],
    ['0812.3456.789', '+628123456789'],
    ['+1 212 555 0123', '+12125550123'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['447946095812@s.whatsapp.net', '+447946095812'],
  ])('when given %j, then it is %s', (input, e164) => {
    const result = normalize(input);
    expect(result).toMatchObject({ valid: true, e164, reason: null });
  });

  it('when given a mobile number, then it says so and names the region', () => {
    expect(normalize('08123456789')).toEqual({ valid: true, e164: '+628123456789', type: 'MOBILE', region: 'ID', reason: null });
    expect(normalize('(021) 555-1234')).toMatchObject({ type: 'FIXED_LINE', region: 'ID' });
  });

  it('when the default region changes, then national numbers are read in that region', () => {
    expect(normalizePhoneNumber('020 7946 0958', { defaultRegion: 'GB' })).toMatchObject({ valid: true, e164: '+442079460958' });
    expect(normalizePhoneNumber('447946095812', { defaultRegion: 'GB' })).toMatchObject({ valid: true, e164: '+447946095812' });
  });
});

describe('normalizePhoneNumber: every refused form in API.md', () => {
  it.each(REFUSED_FORMS)('when given %j, then it is refused as %s', (input, reason) => {
    expect(normalize(input)).toEqual({ valid: false, e164: null, type: null, region: null, reason });
  });

  it.each([
    ['120363025246125486@g.us', 'NOT_A_PHONE_ID'],
    ['6281234567-1609459200@g.us', 'NOT_A_PHONE_ID'],
    ['status@broadcast', 'NOT_A_PHONE_ID'],
    ['120363144038483540@newsletter', 'NOT_A_PHONE_ID'],
    ['123456789012345@lid', 'NOT_A_PHONE_ID'],
    ['6281234567890@example.com', 'NOT_A_NUMBER'],
    ['6.28123E+11', 'SPREADSHEET_PRECISION_LOST'],
    ['6.2812345678E+11', 'SPREADSHEET_PRECISION_LOST'],
    ['6.281234567891E+11', 'NOT_A_NUMBER'],
    ['123', 'TOO_SHORT'],
    ['0812', 'TOO_SHORT'],
    ['+62812345678901234', 'TOO_LONG'],
    ['62812345678901234567', 'TOO_LONG'],
    ['1'.repeat(80), 'TOO_LONG'],
    ['abc', 'NOT_A_NUMBER'],
    ['call me at 08123456789', 'NOT_A_NUMBER'],
    ['0812-3456-789 ext. 5', 'NOT_A_NUMBER'],
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['+999 123456', 'INVALID_COUNTRY_CODE'],
    ['+62 0000 0000', 'INVALID_FOR_REGION'],
  ])('when given %j, then it is refused as %s', (input, reason) => {
    expect(normalize(input)).toEqual({ valid: false, e164: null, type: null, region: null, reason });
  });

  it('when given something that is not text, then it is refused, not thrown', () => {
    expect(normalize(null)).toMatchObject({ valid: false, reason: 'NOT_A_NUMBER' });
    expect(normalize({})).toMatchObject({ valid: false, reason: 'NOT_A_NUMBER' });
  });
});

describe('normalizePhoneNumber: properties', () => {
  const phoneLike = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[+0-9 ()\-.]{0,25}$/),
    fc.stringMatching(/^(\+62|62|0|0062)8[1-9][0-9]{6,10}$/),
    fc.stringMatching(/^[0-9]{6,16}(:[0-9]{1,3})?@(s\.whatsapp\.net|c\.us|g\.us|lid)$/),
    fc.stringMatching(/^[0-9]\.[0-9]{1,14}E\+[0-9]{1,2}$/),
  );

  it('when given any string, then it never throws', () => {
    fc.assert(fc.property(phoneLike, (input) => {
      normalize(input);
    }), { numRuns: 3000 });
  });

  it('when it says valid, then the output is E.164', () => {
    fc.assert(fc.property(phoneLike, (input) => {
      const result = normalize(input);
      if (result.valid) expect(result.e164).toMatch(/^\+[1-9]\d{6,14}$/);
    }), { numRuns: 3000 });
  });

  it('when its output is normalized again, then it comes back unchanged', () => {
    fc.assert(fc.property(phoneLike, (input) => {
      const result = normalize(input);
      if (result.valid) expect(normalize(result.e164)).toMatchObject({ valid: true, e164: result.e164 });
    }), { numRuns: 3000 });
  });

  it('when an Indonesian mobile number is written any usual way, then all ways give one E.164', () => {
    fc.assert(fc.property(fc.stringMatching(/^8[1-3578][0-9]{7,9}$/), (national) => {
      const forms = [`0${national}`, national, `62${national}`, `+62 ${national}`, `0062${national}`, `62${national}@s.whatsapp.net`];
      const results = forms.map((form) => normalize(form));
      const distinct = new Set(results.map((result) => result.e164));
      expect(distinct.size).toBe(1);
    }), { numRuns: 500 });
  });
});
