import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhoneNumber } from '../../src/phone/normalize-phone-number.js';
import { readSenderIdentity } from '../../src/phone/sender-identity.js';

const normalize = (input: string) => normalizePhoneNumber(input, { defaultRegion: 'ID' });

describe('readSenderIdentity', () => {
  it.each([
    ['123456789012345@lid', 'lid', '123456789012345@lid'],
    ['123456789012345:7@lid', 'lid', '123456789012345@lid'],
    ['123456789012345_1:7@lid', 'lid', '123456789012345@lid'],
    [' 123456789012345@LID ', 'lid', '123456789012345@lid'],
    ['123456789012345@hosted.lid', 'lid', '123456789012345@hosted.lid'],
    ['123456789012345:99@hosted.lid', 'lid', '123456789012345@hosted.lid'],
    ['ID.1349120865530274191', 'bsuid', 'ID.1349120865530274191'],
    ['us.13491208655302741918', 'bsuid', 'US.13491208655302741918'],
    ['US.ENT.11815799212886844830', 'bsuid', 'US.ENT.11815799212886844830'],
  ])('when given %j, then it reads a %s with canonical id %s', (input, kind, id) => {
    expect(readSenderIdentity(input)).toEqual({ kind, id });
  });

  it.each([
    '6281234567890@s.whatsapp.net',
    '6281234567890@c.us',
    '120363025246125486@g.us',
    'status@broadcast',
    '120363144038483540@newsletter',
    '+6281234567890',
    '08123456789',
    'abc@lid',
    '@lid',
    'I.123',
    'IDN.123',
    `ID.${'1'.repeat(200)}`,
  ])('when given %j, then it is not an identity', (input) => {
    expect(readSenderIdentity(input)).toBeNull();
  });

  it('groups, broadcasts and newsletters are still refused as not a phone id', () => {
    for (const id of ['120363025246125486@g.us', 'status@broadcast', '120363144038483540@newsletter']) {
      expect(normalize(id)).toMatchObject({ valid: false, reason: 'NOT_A_PHONE_ID' });
    }
  });
});

describe('an identity is never a phone number', () => {
  const lids = fc
    .tuple(fc.stringMatching(/^[0-9]{1,20}$/), fc.option(fc.stringMatching(/^:[0-9]{1,3}$/), { nil: '' }), fc.constantFrom('@lid', '@hosted.lid', '@LID'))
    .map(([user, device, server]) => `${user}${device}${server}`);
  const bsuids = fc
    .tuple(fc.stringMatching(/^[A-Za-z]{2}$/), fc.stringMatching(/^[0-9]{1,25}$/))
    .map(([country, digits]) => `${country}.${digits}`);

  it('when any LID or BSUID form is normalized, then it is invalid and has no number', () => {
    fc.assert(
      fc.property(fc.oneof(lids, bsuids), (id) => {
        expect(readSenderIdentity(id)).not.toBeNull();
        const result = normalize(id);
        expect(result.valid).toBe(false);
        expect(result.e164).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('when a text reads as an identity, then it never also reads as a number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        if (readSenderIdentity(text)) expect(normalize(text).valid).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
