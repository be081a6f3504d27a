/** Arabic-Indic (U+0660…) and Extended Arabic-Indic (U+06F0…) digits, which NFKC leaves alone. */
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * Full-width digits and plus (typed on CJK keyboards, pasted from chats) become ASCII through NFKC;
 * Arabic-Indic digits are mapped by hand.
 */
export function toAsciiDigits(text: string): string {
  // Skip the work on the common all-ASCII cell: imports call this once per row.
  if (/^[\x00-\x7F]*$/.test(text)) return text;
  return text.normalize('NFKC').replace(ARABIC_INDIC_DIGIT, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}
