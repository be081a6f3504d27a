import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/csv-export/csv-cell.js';

/** What a spreadsheet sees of a cell: the text between our delimiters, unquoted. */
function unquote(cell: string): string {
  return cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
}

/**
 * Every piece a spreadsheet may take as a cell of its own: the whole cell (a comma locale), and each
 * part after a ';' or ',' or tab (Excel in an Indonesian locale splits a comma file on ';').
 */
function piecesSeenBySpreadsheets(cell: string): string[] {
  const text = unquote(cell);
  return [text, ...text.split(/[;,\t\n]/).slice(1)];
}

const RUNS_AS_FORMULA = /^[ ]*[=+\-@\t\r]/;

describe('csvCell: cells a spreadsheet would run are defused', () => {
  it.each([
    ['=1+1'],
    ["-1+cmd|' /C calc'!A0"],
    ['+(1+1)'],
    ['+ HYPERLINK("http://evil.example","x")'],
    ['@SUM(A1)'],
    ['x;=1+1'],
    ['x; =HYPERLINK("http://evil.example")'],
    ['0812,=cmd|x'],
    ['  =1+1'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['a;b;+cmd|x'],
    ['+1+1'],
  ])('when a cell is %j, then no piece of it starts a formula', (value) => {
    const cell = csvCell(value);
    for (const piece of piecesSeenBySpreadsheets(cell)) {
      expect(piece, `piece ${JSON.stringify(piece)} of ${JSON.stringify(cell)}`).not.toMatch(RUNS_AS_FORMULA);
    }
    // Nothing is lost: removing the defusing apostrophes gives back the value.
    expect(unquote(cell).replace(/'(?=[=+\-@\t\r])/g, '')).toBe(value);
  });

  it.each([['+6281234567890'], ['+62 812-3456-789'], ['0812-3456-789'], ['628123456789'], ['-'], ['(021) 555-1234'], ['Budi Santoso']])(
    'when a cell is the plain value %j, then it is written as it is',
    (value) => {
      expect(unquote(csvCell(value))).toBe(value);
    },
  );

  it('when a cell holds a quote, a comma or a line break, then it is quoted', () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
});
