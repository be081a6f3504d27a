import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/i18n/en.js';
import { errorInWords } from '../../src/web/i18n/error-words.js';
import { id } from '../../src/web/i18n/id.js';
import { chooseLocale, wordsIn } from '../../src/web/i18n/words.js';

describe('the console’s language', () => {
  it('when a person chose a language, then that wins over the browser’s', () => {
    expect(chooseLocale('en', 'id-ID,id;q=0.9')).toBe('en');
    expect(chooseLocale('id', 'en-US,en;q=0.9')).toBe('id');
  });

  it('when nothing was chosen, then the browser’s first language the console speaks is used, by its q weights', () => {
    expect(chooseLocale(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(chooseLocale(undefined, 'id-ID,id;q=0.9,en;q=0.8')).toBe('id');
    expect(chooseLocale(undefined, 'fr-FR,en;q=0.5,id;q=0.7')).toBe('id');
    expect(chooseLocale(undefined, 'de, en-GB;q=0.8')).toBe('en');
    expect(chooseLocale(undefined, 'en;q=0, id')).toBe('id');
  });

  it('when neither a choice nor a language the console speaks is given, then it is Indonesian', () => {
    expect(chooseLocale(undefined, undefined)).toBe('id');
    expect(chooseLocale(undefined, 'fr-FR,de;q=0.8')).toBe('id');
    expect(chooseLocale('xx', '')).toBe('id');
  });

  it('when dates and numbers are written, then Indonesian writes 22 Des 2026 and 1.000.000, English 22 Dec 2026 and 1,000,000', () => {
    const idWords = wordsIn('id');
    const enWords = wordsIn('en');
    expect(idWords.date('2026-11-22T10:00:00Z')).toBe('22 Nov 2026');
    expect(idWords.date('2026-12-22T10:00:00Z')).toBe('22 Des 2026');
    expect(enWords.date('2026-12-22T10:00:00Z')).toBe('22 Dec 2026');
    expect(enWords.date('2026-09-02')).toBe('2 Sep 2026');
    expect(idWords.time('2026-12-22T14:05:00Z')).toBe('22 Des 2026 14.05 UTC');
    expect(enWords.time('2026-12-22T14:05:00Z')).toBe('22 Dec 2026 14:05 UTC');
    expect(idWords.count(1_000_000)).toBe('1.000.000');
    expect(enWords.count(1_000_000)).toBe('1,000,000');
    expect(idWords.percent(12.5)).toBe('12,5 %');
    expect(idWords.time(null)).toBe('—');
  });

  it('when the catalogs are compared, then every entry of each is filled in and Indonesian is not English left untranslated', () => {
    const leaves = (value: unknown, path = ''): Array<[string, unknown]> =>
      typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${path}.${key}`)) : [[path, value]];
    const english = new Map(leaves(en));
    const indonesian = leaves(id);
    expect(indonesian.map(([path]) => path).sort()).toEqual([...english.keys()].sort());
    const same = indonesian.filter(([path, text]) => typeof text === 'string' && text.length > 12 && text === english.get(path)).map(([path]) => path);
    expect(same).toEqual([]);
  });

  it('when the API refuses, then the console says it in its own words in either language', () => {
    const refusal = { code: 'CONFLICT' as const, details: { category_id: 4, phone_count: 1200 } };
    expect(errorInWords(wordsIn('id'), refusal)).toBe('Kategori ini masih berisi 1.200 nomor: pilih kategori tujuan untuk memindahkannya sebelum dihapus.');
    expect(errorInWords(wordsIn('en'), refusal)).toBe('This category still holds 1,200 numbers: choose a category to move them to before deleting it.');
    const forbidden = { code: 'FORBIDDEN' as const, details: { needed: 'staff', role: 'bot' } };
    expect(errorInWords(wordsIn('id'), forbidden, { keyId: 1, name: 'WA bot', role: 'bot' })).toBe('Ini perlu peran staf. Anda masuk sebagai "WA bot", kunci bot.');
    expect(errorInWords(wordsIn('id'), { code: 'VALIDATION_FAILED', details: { reason: 'NO_PHONE_COLUMN' } })).toContain('Kolom nomor tidak ditemukan');
    expect(errorInWords(wordsIn('en'), { code: 'UNAVAILABLE' })).toBe(en.errors.general.UNAVAILABLE);
  });
});
