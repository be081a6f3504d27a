import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../../src/phone-numbers/phone-numbers.repository.js';
import { searchTerms } from '../../src/phone-numbers/search-terms.js';

describe('searchTerms', () => {
  it('when the query is part of a written number, then it matches as digits anywhere, or as the start of the stored number', () => {
    expect(searchTerms('812-3456', 'ID')).toMatchObject({ numberPatterns: ['%812-3456%', '%8123456%'], normalizedPrefix: null, exact: null });
    expect(searchTerms('8123456', 'ID')).toMatchObject({ numberPatterns: ['%8123456%'], normalizedPrefix: null });
    expect(searchTerms('0812 3456', 'ID')).toMatchObject({ numberPatterns: ['%0812 3456%'], normalizedPrefix: '+628123456' });
    expect(searchTerms('(0812) 3456', 'ID')).toMatchObject({ numberPatterns: ['%0812) 3456%'], normalizedPrefix: '+628123456' });
    expect(searchTerms('0062 812', 'ID')).toMatchObject({ numberPatterns: ['%0062 812%'], normalizedPrefix: '+62812' });
    expect(searchTerms('+1 415', 'ID')).toMatchObject({ numberPatterns: [], normalizedPrefix: '+1415' });
    expect(searchTerms('0812', 'MY')).toMatchObject({ normalizedPrefix: '+60812' });
  });

  it('when the query is a whole number, then it is read as that number', () => {
    expect(searchTerms('0812-3456-789', 'ID').exact).toBe('+628123456789');
    expect(searchTerms('6281234567890@s.whatsapp.net', 'ID').exact).toBe('+6281234567890');
  });

  it('when the query has punctuation at its ends or LIKE wildcards, then they do not widen the match', () => {
    expect(searchTerms('(812)', 'ID').numberPatterns).toEqual(['%812%']);
    expect(searchTerms('Pelanggan VIP.', 'ID').numberPatterns).toEqual(['%Pelanggan VIP%']);
    expect(searchTerms('10%_x', 'ID').numberPatterns).toEqual(['%10\\%\\_x%']);
    expect(searchTerms('%', 'ID').numberPatterns).toEqual(['%\\%%']);
  });

  it('when the query is a word, then it is a category name fragment and not a number', () => {
    expect(searchTerms('Prospek', 'ID')).toEqual({
      numberPatterns: ['%Prospek%'],
      normalizedPrefix: null,
      categoryPattern: '%Prospek%',
      namePattern: '%Prospek%',
      narrow: true,
      exact: null,
    });
    expect(searchTerms('VI', 'ID').narrow).toBe(false);
  });
});

describe('prefixUpperBound', () => {
  it('when given a prefix, then it is the least string above all that start with it', () => {
    expect(prefixUpperBound('+628123')).toBe('+628124');
    expect(prefixUpperBound('+62819')).toBe('+6282');
    expect(prefixUpperBound('+6299')).toBe('+63');
    expect(prefixUpperBound('+999')).toBeNull();
  });
});
