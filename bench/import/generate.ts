import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parsePhoneNumber } from 'libphonenumber-js/max';

/**
 * Writes a realistic staff spreadsheet export and its ground truth:
 * every API.md format, ~8% duplicates written differently, ~2% invalid rows, five categories.
 * Deterministic for a given row count and seed, so runs compare like with like.
 */

export const CATEGORIES = ['Pelanggan VIP', 'Pelanggan VIP 2', 'Pelanggan Regular', 'Prospek', 'Lead'];
// Indonesian mobile prefixes (Telkomsel, Indosat, XL, Axis, Tri, Smartfren), all valid in libphonenumber.
const PREFIXES = ['811', '812', '813', '821', '822', '823', '851', '852', '853', '814', '815', '816', '855', '856', '857', '858', '817', '818', '819', '859', '877', '878', '895', '896', '897', '898', '899', '881', '882', '883'];
const NAMES = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rina', 'Eko', 'Putri', 'Andi', 'Wati', 'Joko'];
const INVALID = ['0812', 'abc', '6.28123E+11', '120363025246125486@g.us', '', '123456789012345@lid', '+999 123456', '08-', 'N/A', '0812345678901234567'];

export interface GroundTruth {
  rows: number;
  invalid: number;
  duplicates_in_file: number;
  distinct_valid: number;
  per_category: Record<string, number>;
}

/** Mulberry32: small, fast, seeded. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index → a distinct national number: the prefix cycles, the 8 subscriber digits are a bijection of the rest. */
export function nationalNumber(index: number): string {
  const prefix = PREFIXES[index % PREFIXES.length]!;
  const serial = Math.floor(index / PREFIXES.length);
  const scrambled = (serial * 48_271 + 12_345_679) % 100_000_000;
  return prefix + String(scrambled).padStart(8, '0');
}

/** The ways people and tools write one number (national = 8xxxxxxxxxx). */
function write(national: string, style: number): string {
  const e164digits = `62${national}`;
  switch (style) {
    case 0: return `0${national}`;
    case 1: return `0${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`;
    case 2: return `+62 ${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    case 3: return e164digits;
    case 4: return `0062 ${national}`;
    case 5: return national;
    case 6: return `${e164digits}@s.whatsapp.net`;
    case 7: return `${e164digits.slice(0, 1)}.${e164digits.slice(1)}E+${e164digits.length - 1}`;
    case 8: return `${e164digits}.0`;
    default: return `+62 (0) ${national}`;
  }
}

function csvField(value: string): string {
  return /[",;\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * @param floorPath when given, also writes the distinct valid rows, already normalized, as COPY text
 *   (original, E.164, number type, name, category id) for measuring a bare COPY of the same data.
 * @param shape 'wide': the same rows (same numbers, same ground truth) with 17 more columns, as a CRM
 *   export has them: 20 columns, about 250 bytes a row.
 */
export async function generateImportFile(
  path: string,
  rows: number,
  seed = 42,
  floor?: { path: string; categoryIds: Record<string, number> },
  shape: 'narrow' | 'wide' = 'narrow',
): Promise<GroundTruth> {
  const next = random(seed);
  const out = createWriteStream(path);
  const floorOut = floor ? createWriteStream(floor.path) : null;
  let floorChunk = '';
  const truth: GroundTruth = { rows, invalid: 0, duplicates_in_file: 0, distinct_valid: 0, per_category: {} };
  for (const name of CATEGORIES) truth.per_category[name] = 0;
  // Numbers written so far and the category their first row gave them.
  let written = 0;
  let chunk = shape === 'wide' ? `nama,no_hp,kategori,${WIDE_HEADERS.join(',')}\n` : 'nama,no_hp,kategori\n';

  for (let row = 0; row < rows; row += 1) {
    const roll = next();
    const category = CATEGORIES[Math.floor(next() * CATEGORIES.length)]!;
    const name = NAMES[Math.floor(next() * NAMES.length)]!;
    let phone: string;
    if (roll < 0.02) {
      phone = INVALID[Math.floor(next() * INVALID.length)]!;
      truth.invalid += 1;
    } else if (roll < 0.10 && written > 0) {
      // A number already in the file, written another way: counted once, the first row wins.
      phone = write(nationalNumber(Math.floor(next() * written)), Math.floor(next() * 10));
      truth.duplicates_in_file += 1;
    } else {
      phone = write(nationalNumber(written), Math.floor(next() * 10));
      if (floorOut) floorChunk += `${phone}\t+62${nationalNumber(written)}\tMOBILE\t${name}\t${floor!.categoryIds[category]}\n`;
      written += 1;
      truth.distinct_valid += 1;
      truth.per_category[category]! += 1;
    }
    chunk += shape === 'wide' ? `${name},${csvField(phone)},${category},${wideCells(row)}\n` : `${name},${csvField(phone)},${category}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
    if (floorOut && floorChunk.length > 1 << 20) {
      if (!floorOut.write(floorChunk)) await once(floorOut, 'drain');
      floorChunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  if (floorOut) {
    floorOut.end(floorChunk);
    await once(floorOut, 'finish');
  }
  return truth;
}

const WIDE_HEADERS = ['email', 'perusahaan', 'jabatan', 'alamat', 'kelurahan', 'kecamatan', 'kota', 'provinsi', 'kode_pos', 'sumber', 'status', 'tanggal_daftar', 'terakhir_order', 'total_order', 'sales', 'catatan', 'tag'];
const CITIES = ['Bandung', 'Jakarta Selatan', 'Surabaya', 'Medan', 'Semarang', 'Makassar', 'Denpasar', 'Yogyakarta'];

/** 17 more cells of a CRM export (about 210 bytes), from the row index alone: the ground truth is untouched. */
function wideCells(row: number): string {
  const city = CITIES[row % CITIES.length]!;
  return [
    `kontak${row}@contoh.co.id`,
    `PT Maju Jaya ${row % 977}`,
    'Manajer Pembelian',
    `"Jl. Merdeka No. ${row % 300}, RT 0${row % 9}/RW 0${row % 7}"`,
    'Sukamaju',
    'Sukajadi',
    city,
    'Jawa Barat',
    String(40_000 + (row % 999)),
    'Pameran 2025',
    row % 3 === 0 ? 'aktif' : 'tidak aktif',
    `2025-0${1 + (row % 9)}-1${row % 10}`,
    `2026-0${1 + (row % 9)}-2${row % 10}`,
    String(row % 57),
    `Sales ${row % 12}`,
    'Minta dihubungi sore hari',
    'b2b;prioritas',
  ].join(',');
}

/** Sanity check of the generator itself, against libphonenumber directly (not the code under test). */
export function assertGeneratorNumbersValid(sample: number): void {
  for (let index = 0; index < sample; index += 997) {
    const parsed = parsePhoneNumber(`+62${nationalNumber(index)}`);
    if (!parsed.isValid()) throw new Error(`generator made an invalid number: +62${nationalNumber(index)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path = 'bench/.out/import.csv', rows = '1000000'] = process.argv.slice(2);
  const truth = await generateImportFile(path, Number(rows));
  await writeFile(`${path}.truth.json`, JSON.stringify(truth, null, 2));
  console.log(JSON.stringify(truth));
}
