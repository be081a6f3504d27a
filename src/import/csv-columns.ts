import { ImportFileError } from './import-errors.js';

/** Header names people use, compared without case, spaces, dashes, underscores or dots. */
const ALIASES = {
  phone: ['phone', 'phonenumber', 'number', 'nomor', 'nomorhp', 'nomortelepon', 'nohp', 'hp', 'telepon', 'telp', 'whatsapp', 'wa', 'nowa', 'msisdn', 'mobile'],
  category: ['category', 'kategori'],
  name: ['name', 'nama', 'namalengkap', 'namakontak', 'contact', 'kontak'],
} as const;

export interface CsvColumns {
  phone: number;
  category: number | null;
  name: number | null;
}

export function headerKey(header: string): string {
  return header.trim().toLowerCase().replace(/[\s_\-.]/g, '');
}

function findColumn(keys: string[], aliases: readonly string[]): number | null {
  // The first alias in the list wins over later ones, whatever the column order ("phone" over "wa").
  for (const alias of aliases) {
    const index = keys.indexOf(alias);
    if (index !== -1) return index;
  }
  return null;
}

export function findColumns(headers: string[]): CsvColumns {
  const keys = headers.map(headerKey);
  const phone = findColumn(keys, ALIASES.phone);
  if (phone === null) {
    throw new ImportFileError(
      'NO_PHONE_COLUMN',
      `No phone column in the header line (found: ${headers.map((h) => JSON.stringify(h.trim())).join(', ') || 'nothing'}). ` +
        `Name it one of: ${ALIASES.phone.join(', ')}`,
      { headers },
    );
  }
  return { phone, category: findColumn(keys, ALIASES.category), name: findColumn(keys, ALIASES.name) };
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
