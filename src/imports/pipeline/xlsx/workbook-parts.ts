import path from 'node:path';
import { ImportFileError } from '../import-errors.js';
import { SharedStrings } from './shared-strings.js';
import { parseXml, unescapeExcelText } from './xml-reader.js';
import type { ZipFile } from './zip-file.js';

export interface SheetRef {
  name: string;
  /** The sheet's part in the zip, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
}

export interface WorkbookParts {
  /** In the order the workbook shows them. */
  sheets: SheetRef[];
  /** For each cell format (a cell's `s`), whether it shows a date or a time. */
  dateStyles: boolean[];
  /** Dates count from 1904 rather than 1900 (old Mac workbooks). */
  date1904: boolean;
  sharedStringsPart: string | undefined;
}

const RELATIONSHIP = {
  officeDocument: '/officeDocument',
  worksheet: '/worksheet',
  styles: '/styles',
  sharedStrings: '/sharedStrings',
};

/**
 * Shared strings beyond this much XML are refused rather than held in memory (the parser thread's
 * heap is 128 MB): 3× what a million phone numbers stored as text take (31 MB).
 */
export const MAX_SHARED_STRINGS_XML_BYTES = 96 * 1024 * 1024;

async function readPart(zip: ZipFile, part: string, handlers: Parameters<typeof parseXml>[1]): Promise<boolean> {
  const entry = zip.entry(part);
  if (!entry) return false;
  await parseXml(await zip.stream(entry), handlers);
  return true;
}

/** A relationships part: id → { type, target resolved against the part that owns it }. */
async function readRelationships(zip: ZipFile, ownerPart: string): Promise<Map<string, { type: string; target: string }>> {
  const directory = path.posix.dirname(ownerPart);
  const relsPart = path.posix.join(directory === '.' ? '' : directory, '_rels', `${path.posix.basename(ownerPart)}.rels`);
  const relationships = new Map<string, { type: string; target: string }>();
  await readPart(zip, relsPart, {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
      const target = attributes.Target ?? '';
      const resolved = target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(directory === '.' ? '' : directory, target));
      relationships.set(attributes.Id ?? '', { type: attributes.Type ?? '', target: resolved });
    },
  });
  return relationships;
}

function partOfType(relationships: Map<string, { type: string; target: string }>, suffix: string): string | undefined {
  for (const { type, target } of relationships.values()) if (type.endsWith(suffix)) return target;
  return undefined;
}

/** Format ids Excel builds in that show dates or times (ECMA-376 §18.8.30, and the East Asian ones). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81]);

/** A custom format shows a date when, outside quoted text, escapes and [colour]/[$-locale] blocks, it has a d, m, y, h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  // Only the first section matters for a positive number; `General` and `0.00E+00` have none of these letters.
  const section = bare.split(';')[0] ?? '';
  return /[dmyhs]/i.test(section.replace(/General/gi, ''));
}

export async function readWorkbookParts(zip: ZipFile): Promise<WorkbookParts> {
  const rootRelationships = await readRelationships(zip, '');
  const workbookPart = partOfType(rootRelationships, RELATIONSHIP.officeDocument) ?? 'xl/workbook.xml';
  const relationships = await readRelationships(zip, workbookPart);

  const sheets: SheetRef[] = [];
  let date1904 = false;
  const found = await readPart(zip, workbookPart, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name !== 'sheet') return;
      // The relationship id's attribute is r:id whatever prefix the workbook gave its namespace.
      const idKey = Object.keys(attributes).find((key) => key === 'id' || key.endsWith(':id'));
      const target = idKey ? relationships.get(attributes[idKey]!)?.target : undefined;
      if (target) sheets.push({ name: attributes.name ?? '', part: target });
    },
  });
  if (!found) throw new ImportFileError('NOT_XLSX', 'The file is a zip but not an .xlsx workbook (it has no workbook part)');

  const stylesPart = partOfType(relationships, RELATIONSHIP.styles);
  const dateStyles = stylesPart ? await readDateStyles(zip, stylesPart) : [];
  return { sheets, dateStyles, date1904, sharedStringsPart: partOfType(relationships, RELATIONSHIP.sharedStrings) };
}

async function readDateStyles(zip: ZipFile, stylesPart: string): Promise<boolean[]> {
  const customDate = new Map<number, boolean>();
  const dateStyles: boolean[] = [];
  let inCellXfs = false;
  await readPart(zip, stylesPart, {
    open(name, attributes, selfClosing) {
      if (name === 'numFmt') customDate.set(Number(attributes.numFmtId), isDateFormat(attributes.formatCode ?? ''));
      else if (name === 'cellXfs') inCellXfs = !selfClosing;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attributes.numFmtId ?? 0);
        dateStyles.push(customDate.get(id) ?? BUILT_IN_DATE_FORMATS.has(id));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return dateStyles;
}

/**
 * Every shared string, by index. A string item's text is its `t` elements, those of rich-text runs
 * included, and not the phonetic guides (`rPh`) Japanese workbooks add.
 */
export async function readSharedStrings(zip: ZipFile, part: string | undefined): Promise<SharedStrings> {
  const strings = new SharedStrings();
  const entry = part ? zip.entry(part) : undefined;
  if (!entry) return strings;
  if (entry.uncompressedSize > MAX_SHARED_STRINGS_XML_BYTES) {
    throw new ImportFileError('TOO_LARGE', `The workbook's shared strings are larger than ${MAX_SHARED_STRINGS_XML_BYTES} bytes; save it as CSV and import that`, {
      max_bytes: MAX_SHARED_STRINGS_XML_BYTES,
    });
  }
  let current: string[] = [];
  let inText = false;
  let phonetic = 0;
  await parseXml(await zip.stream(entry), {
    open(name, _attributes, selfClosing) {
      if (name === 'si') current = [];
      // saxes reports a close for a self-closing tag too, so every open counts.
      else if (name === 'rPh') phonetic += 1;
      else if (name === 't' && phonetic === 0 && !selfClosing) inText = true;
    },
    text(text) {
      if (inText) current.push(text);
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic -= 1;
      else if (name === 'si') strings.add(unescapeExcelText(current.join('')));
    },
  });
  strings.finish();
  return strings;
}
