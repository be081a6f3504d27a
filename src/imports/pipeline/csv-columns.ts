import { ImportFileError } from './import-errors.js';

/**
 * The columns an import reads, each with the header names people use for it (compared without
 * case, spaces, dashes, underscores or dots; the first alias in a list wins over later ones,
 * whatever the column order: "phone" over "wa"). A new column (an identity such as `lid`) is one
 * entry here, one in ColumnChoice's callers (`<role>_column`), and its use in read-csv-rows.
 */
export const COLUMN_ROLES = {
  phone: { required: true, aliases: ['phone', 'phonenumber', 'number', 'nomor', 'nomorhp', 'nomortelepon', 'nohp', 'hp', 'telepon', 'telp', 'whatsapp', 'wa', 'nowa', 'nowhatsapp', 'nomorwhatsapp', 'nomorwa', 'nohandphone', 'handphone', 'msisdn', 'mobile'] },
  category: { required: false, aliases: ['category', 'kategori'] },
  name: { required: false, aliases: ['name', 'nama', 'namalengkap', 'namakontak', 'contact', 'kontak'] },
  // A sender id seen with the row's number (a LID, a Cloud API user id): the pair is remembered.
  lid: { required: false, aliases: ['lid', 'whatsapplid'] },
  bsuid: { required: false, aliases: ['bsuid', 'userid'] },
} as const satisfies Record<string, { required: boolean; aliases: readonly string[] }>;

export type ColumnRole = keyof typeof COLUMN_ROLES;
export const COLUMN_ROLE_NAMES = Object.keys(COLUMN_ROLES) as ColumnRole[];

/** Column positions (0-based) in the file; the phone column always exists. */
export type CsvColumns = { phone: number } & { [role in Exclude<ColumnRole, 'phone'>]: number | null };

/** Columns named by the person importing: a header as written, or a 1-based position ("3"). */
export type ColumnChoice = Partial<Record<ColumnRole, string>>;

export function headerKey(header: string): string {
  return header.trim().toLowerCase().replace(/[\s_\-.]/g, '');
}

function findByAlias(keys: string[], aliases: readonly string[]): number | null {
  for (const alias of aliases) {
    const index = keys.indexOf(alias);
    if (index !== -1) return index;
  }
  return null;
}

/** A chosen column: a 1-based position, else a header (exactly, then compared as headers are). */
function findChosen(headers: string[], keys: string[], role: ColumnRole, chosen: string): number {
  const text = chosen.trim();
  if (/^\d+$/.test(text)) {
    const index = Number(text) - 1;
    if (index >= 0 && index < headers.length) return index;
  } else {
    const exact = headers.findIndex((header) => header.trim() === text);
    if (exact !== -1) return exact;
    const similar = keys.indexOf(headerKey(text));
    if (similar !== -1) return similar;
  }
  throw new ImportFileError(
    role === 'phone' ? 'NO_PHONE_COLUMN' : 'NO_SUCH_COLUMN',
    `The ${role} column "${text}" is not in the header line (found: ${headers.map((h) => JSON.stringify(h.trim())).join(', ')}; ` +
      `or give a position from 1 to ${headers.length})`,
    { column: text, role, headers },
  );
}

export function findColumns(headers: string[], choice: ColumnChoice = {}): CsvColumns {
  const keys = headers.map(headerKey);
  const found = {} as Record<ColumnRole, number | null>;
  for (const role of COLUMN_ROLE_NAMES) {
    const chosen = choice[role];
    found[role] = chosen !== undefined && chosen.trim() !== '' ? findChosen(headers, keys, role, chosen) : findByAlias(keys, COLUMN_ROLES[role].aliases);
  }
  if (found.phone === null) {
    throw new ImportFileError(
      'NO_PHONE_COLUMN',
      `No phone column in the header line (found: ${headers.map((h) => JSON.stringify(h.trim())).join(', ') || 'nothing'}). ` +
        `Name it one of: ${COLUMN_ROLES.phone.aliases.join(', ')}, or choose it (phone_column=)`,
      { headers },
    );
  }
  return { ...found, phone: found.phone };
}

/** The delimiter the header line uses: spreadsheets in Indonesian locales write `;`, some exports tabs. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}
