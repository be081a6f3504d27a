import type { RejectionReason } from './rejection-reason.js';

export type SpreadsheetReading =
  | { kind: 'not-spreadsheet' }
  | { kind: 'digits'; digits: string }
  | { kind: 'refused'; reason: RejectionReason };

// Indonesian-locale spreadsheets write a decimal comma, so both separators are read.
const FLOAT_WITH_ZERO_FRACTION = /^\+?(\d+)[.,]0+$/;
const SCIENTIFIC = /^\+?(\d+)(?:[.,](\d+))?[eE]\+?(\d{1,2})$/;

/**
 * Spreadsheets turn long digit strings into numbers: `628123456789.0` or `6.28123456789E+11`.
 * Either is exact when every digit is still written; `6.28123E+11` dropped digits and would be a
 * guess, so it is refused instead of being filled up with zeros.
 */
export function readSpreadsheetNumber(text: string): SpreadsheetReading {
  const float = FLOAT_WITH_ZERO_FRACTION.exec(text);
  if (float?.[1]) return { kind: 'digits', digits: withPlus(text, float[1]) };

  const scientific = SCIENTIFIC.exec(text);
  if (!scientific?.[1]) return { kind: 'not-spreadsheet' };
  const fraction = scientific[2] ?? '';
  const exponent = Number(scientific[3]);
  const digits = scientific[1] + fraction;
  const missing = exponent - fraction.length;
  if (missing > 0) return { kind: 'refused', reason: 'SPREADSHEET_PRECISION_LOST' };
  if (missing < 0) {
    // More fraction digits than the exponent shifts: a whole number only if the rest are zeros.
    const rest = digits.slice(digits.length + missing);
    if (!/^0+$/.test(rest)) return { kind: 'refused', reason: 'NOT_A_NUMBER' };
    return { kind: 'digits', digits: withPlus(text, digits.slice(0, digits.length + missing)) };
  }
  return { kind: 'digits', digits: withPlus(text, digits) };
}

function withPlus(original: string, digits: string): string {
  return original.startsWith('+') ? `+${digits}` : digits;
}
