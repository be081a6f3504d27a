import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { ImportFileError } from '../../src/imports/pipeline/import-errors.js';
import { readXlsxRows } from '../../src/imports/pipeline/read-xlsx-rows.js';
import type { CsvRow } from '../../src/imports/pipeline/read-csv-rows.js';
import { spoolToFile } from '../../src/imports/pipeline/xlsx/spool-to-file.js';
import { isDateFormat } from '../../src/imports/pipeline/xlsx/workbook-parts.js';

async function readAll(bytes: Buffer, options: { sheet?: string; maxBytes?: number } = {}): Promise<{ rows: CsvRow[]; bytesRead: number }> {
  const reader = readXlsxRows(Readable.from([bytes]), { columns: {}, ...options });
  const rows: CsvRow[] = [];
  for await (const batch of reader.rows) rows.push(...batch);
  return { rows, bytesRead: reader.bytesRead() };
}

/** A workbook as exceljs's streaming writer makes it: every sheet is written before the shared strings. */
async function streamedWorkbook(rows: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new (await import('node:stream')).Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('Kontak');
  sheet.addRow(['nama', 'phone', 'category']).commit();
  for (let i = 0; i < rows; i += 1) sheet.addRow([`Kontak ${i}`, `0812${String(i).padStart(8, '0')}`, i % 2 ? 'Lead' : 'Prospek']).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`;
const ROOT_RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
// Prefixed elements (x:), as some writers (Open XML SDK, .NET exporters) produce them.
const WORKBOOK = `<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:workbookPr date1904="1"/><x:sheets><x:sheet name="Data CRM" sheetId="3" rel:id="rId7"/></x:sheets></x:workbook>`;
const STYLES = `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-421]dd\\ mmmm\\ yyyy;@"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="49"/></cellXfs></styleSheet>`;
const SHARED = `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>No. WhatsApp</t></si><si><t>Kategori</t></si><si><t>Nama</t></si>
<si><r><t>Bu</t></r><r><rPr><b/></rPr><t xml:space="preserve">di &amp; Co</t></r><rPh sb="0" eb="1"><t>ブ</t></rPh></si>
<si><t>Lead</t></si><si><t>Siti_x0026_Ani</t></si></sst>`;
const SHEET = `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="2"><x:c r="B2" t="s"><x:v>2</x:v></x:c><x:c r="C2" t="s"><x:v>0</x:v></x:c><x:c r="E2" t="s"><x:v>1</x:v></x:c></x:row>
<x:row r="3"><x:c r="B3" t="s"><x:v>3</x:v></x:c><x:c r="C3"><x:v>6.28127300001E+11</x:v></x:c><x:c r="E3" t="s"><x:v>4</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c><x:c t="s"><x:v>5</x:v></x:c><x:c t="inlineStr"><x:is><x:t>0812-7300-0002</x:t></x:is></x:c><x:c/><x:c t="str"><x:f>"Le"&amp;"ad"</x:f><x:v>Lead</x:v></x:c></x:row>
<x:row r="7"><x:c r="B7" t="b"><x:v>1</x:v></x:c><x:c r="C7" s="1"><x:v>45000</x:v></x:c><x:c r="E7" t="e"><x:v>#N/A</x:v></x:c></x:row>
<x:row r="8"><x:c r="C8" s="2" t="s"><x:v>4</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`;

/** A workbook written by hand, the way writers other than Excel do it: prefixes, inline strings, rows without `r`, the sheet first. */
async function handWrittenWorkbook(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('xl/worksheets/data.xml', SHEET);
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', ROOT_RELS);
  zip.file('xl/workbook.xml', WORKBOOK);
  zip.file('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  zip.file('xl/styles.xml', STYLES);
  zip.file('xl/sharedStrings.xml', SHARED);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('readXlsxRows', () => {
  it('when the sheet comes before the shared strings in the zip (exceljs streaming writer), then every row is read, in order', async () => {
    const bytes = await streamedWorkbook(12_345);
    const order = Object.keys((await JSZip.loadAsync(bytes)).files);
    expect(order.findIndex((name) => name.includes('worksheets/sheet1'))).toBeLessThan(order.indexOf('xl/sharedStrings.xml'));
    const { rows, bytesRead } = await readAll(bytes);
    expect(rows).toHaveLength(12_345);
    expect(rows[0]).toEqual({ line: 2, phone: '081200000000', category: 'Prospek', name: 'Kontak 0' });
    expect(rows.at(-1)).toEqual({ line: 12_346, phone: '081200012344', category: 'Prospek', name: 'Kontak 12344' });
    expect(bytesRead).toBe(bytes.length);
  });

  it('when a writer uses prefixes, inline strings, rich text, rows without r, formulas, booleans, errors and a custom date format, then each cell reads as typed', async () => {
    const { rows } = await readAll(await handWrittenWorkbook());
    expect(rows).toEqual([
      { line: 3, phone: '628127300001', category: 'Lead', name: 'Budi & Co' },
      { line: 4, phone: '0812-7300-0002', category: 'Lead', name: 'Siti&Ani' },
      // 45000 days after 1904-01-01, shown as a date: refused as a number whatever its digits.
      { line: 7, phone: '2027-03-16', category: '#N/A', name: 'TRUE', rejected: { reason: 'NOT_A_NUMBER' } },
      // A text-formatted (@) cell is text, not a date.
      { line: 8, phone: 'Lead', category: null, name: null },
    ]);
  });

  it('when the sheet is named, then it is found whatever its case, and a missing one lists the sheets', async () => {
    const bytes = await handWrittenWorkbook();
    expect((await readAll(bytes, { sheet: 'data crm' })).rows).toHaveLength(4);
    await expect(readAll(bytes, { sheet: 'Sheet1' })).rejects.toMatchObject({ reason: 'NO_SUCH_SHEET', details: { sheets: ['Data CRM'] } } satisfies Partial<ImportFileError>);
  });

  it('when the workbook is larger than the limit, not a zip, or a zip without a workbook, then the file is refused with its reason', async () => {
    const bytes = await streamedWorkbook(100);
    await expect(readAll(bytes, { maxBytes: 1000 })).rejects.toMatchObject({ reason: 'TOO_LARGE' });
    await expect(readAll(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(500, 1)]))).rejects.toMatchObject({ reason: 'NOT_XLSX' });
    const other = new JSZip();
    other.file('readme.txt', 'hello');
    await expect(readAll(await other.generateAsync({ type: 'nodebuffer' }))).rejects.toMatchObject({ reason: 'NOT_XLSX' });
  });

  it('when an upload is spooled, then the temporary file is private and removed afterwards', async () => {
    const spooled = await spoolToFile(Readable.from([Buffer.from('abc')]), 10, () => {});
    expect(spooled.bytes).toBe(3);
    expect(existsSync(spooled.path)).toBe(true);
    await spooled.remove();
    expect(existsSync(spooled.path)).toBe(false);
  });
});

describe('isDateFormat', () => {
  it.each([
    ['yyyy-mm-dd', true],
    ['[$-421]dd mmmm yyyy', true],
    ['h:mm AM/PM', true],
    ['[h]:mm:ss', true],
    ['General', false],
    ['0', false],
    ['0.00E+00', false],
    ['@', false],
    ['#,##0 "days"', false],
    ['[Red]#,##0;[Blue]-#,##0', false],
  ])('%s → %s', (code, expected) => {
    expect(isDateFormat(code)).toBe(expected);
  });
});
