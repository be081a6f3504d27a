/**
 * Where a spreadsheet may start a cell inside our cell: at its start, and after a `;`, `,`, tab or
 * line break — Excel in an Indonesian locale opens a comma file splitting on `;`, so `x;=1+1` holds a
 * cell `=1+1` of its own there.
 */
const PIECE_STARTS = /(?<=^|[;,\t\r\n])([ ]*)(?=[=+\-@\t\r])/g;

/**
 * A piece that only looks like a formula: a number as people write it (`+62 812-3456-789`,
 * `-5`), or a lone sign. Without letters, `|`, `!` or a second operator sign it can call no function,
 * reach no cell and run no command, and staff expect their numbers back as they wrote them.
 */
const PLAIN_NUMBER = /^[ ]*(?:[+-]|[+-]?\d[\d ().\-/]*)(?=$|[;,\t\r\n])/;

/**
 * One CSV cell: quoted when it needs to be, and defused wherever a spreadsheet would run it as a
 * formula (OWASP's CSV injection advice: an apostrophe before `=`, `+`, `-`, `@`, tab or CR), at the
 * start and after every `;`/`,`/tab/line break inside it; a plain number such as `+62 812…` stays.
 */
export function csvCell(value: string | number): string {
  const text = String(value);
  const safe = text.replace(PIECE_STARTS, (spaces: string, _group: string, offset: number) =>
    PLAIN_NUMBER.test(text.slice(offset)) ? spaces : `${spaces}'`,
  );
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows per database round trip when a CSV download is read page by page. */
export const CSV_PAGE_ROWS = 5000;

/**
 * A CSV download read page by page through a keyset (`after` = the last row's key), so memory stays
 * flat at any size: the header, then one chunk of text per page.
 */
export async function* csvPages<Row>(
  header: string,
  fetchPage: (after: number, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => number,
  line: (row: Row) => string,
): AsyncGenerator<string> {
  yield `${header}\n`;
  let after = 0;
  for (;;) {
    const page = await fetchPage(after, CSV_PAGE_ROWS);
    if (page.length === 0) return;
    yield page.map((row) => `${line(row)}\n`).join('');
    after = keyOf(page[page.length - 1]!);
  }
}
