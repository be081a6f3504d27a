import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * The narrow CSV's rows as an .xlsx workbook, written as Excel writes one (shared strings), with
 * exceljs's streaming writer so that a million rows do not sit in memory: the same rows, the same
 * ground truth. Phone cells are text, as the CSV has them.
 */
export async function generateWorkbook(csvPath: string, xlsxPath: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('Kontak');
  for await (const record of createReadStream(csvPath).pipe(parse({ relax_column_count: true })) as AsyncIterable<string[]>) {
    sheet.addRow(record).commit();
  }
  sheet.commit();
  await workbook.commit();
}
