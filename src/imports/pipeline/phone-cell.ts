/**
 * What a spreadsheet's phone cell holds besides one number, read past and never guessed beyond:
 * a leading apostrophe (Excel's "keep this as text"), a trailing note in brackets (`0812… (WA)`), a
 * leading label (`WA: 0812…`), and several numbers in one cell (`/`, `;`, `,`, `atau`, line breaks).
 */
/** The reason code for a cell the importer will not guess at. */
export type CellRejection = 'AMBIGUOUS_CELL';

export type PhoneCell =
  | { kind: 'one'; text: string }
  | { kind: 'several'; texts: string[] }
  /** Separators, but pieces too short to be numbers of their own (`0812-345 / 67`): not guessed at. */
  | { kind: 'ambiguous' };

/** Anything that may need this reading; most cells have none of it and cost one test. */
const MAYBE_MESSY = /['‘’`(:\/;,\n\r]|atau/i;
const SEPARATORS = /\s*(?:[\/;,\n\r|]+|\batau\b)\s*/i;
const LEADING_APOSTROPHE = /^\s*['‘’`]/;
const TRAILING_NOTE = /\s*\([^()\d]*\)\s*$/;
/** A short word label and a colon; `tel:` is left to the number reader, which knows it. */
const LEADING_LABEL = /^\s*(?!tel:)[\p{L}][\p{L} .]{0,19}:\s*/iu;
/** Fewer digits than this cannot be a number of its own, so a piece that short means the split is a guess. */
const MIN_PIECE_DIGITS = 7;

export function cleanPhoneText(text: string): string {
  return text.replace(LEADING_APOSTROPHE, '').replace(LEADING_LABEL, '').replace(TRAILING_NOTE, '').trim();
}

/**
 * `wholeIsValid` says whether a text is a valid number as it stands: a cell that is one valid
 * number (`021/5551234` is one, to the number reader) is never split.
 */
export function readPhoneCell(cell: string, wholeIsValid: (text: string) => boolean): PhoneCell {
  if (!MAYBE_MESSY.test(cell)) return { kind: 'one', text: cell };
  const cleaned = cleanPhoneText(cell);
  if (!SEPARATORS.test(cleaned) || wholeIsValid(cleaned)) return { kind: 'one', text: cleaned };
  const pieces = cleaned.split(SEPARATORS).map(cleanPhoneText).filter((piece) => piece !== '');
  if (pieces.length <= 1) return { kind: 'one', text: pieces[0] ?? cleaned };
  if (pieces.some((piece) => piece.replace(/\D/g, '').length < MIN_PIECE_DIGITS)) return { kind: 'ambiguous' };
  return { kind: 'several', texts: pieces };
}
