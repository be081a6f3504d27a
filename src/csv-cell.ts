/**
 * One CSV cell: quoted when it needs to be, and defused when a spreadsheet would run it as a formula
 * (`=…`, `@…`, `+SUM(…)`); a phone number such as "+62 812…" is left as it is.
 */
export function csvCell(value: string | number): string {
  const text = String(value);
  const safe = /^([=@\t\r]|[+\-][^\d\s(])/.test(text) ? `'${text}` : text;
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
