/**
 * One CSV cell: quoted when it needs to be, and defused when a spreadsheet would run it as a formula
 * (`=…`, `@…`, `+SUM(…)`); a phone number such as "+62 812…" is left as it is.
 */
export function csvCell(value: string | number): string {
  const text = String(value);
  const safe = /^([=@\t\r]|[+\-][^\d\s(])/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
