import type { ImportReport } from '../src/imports/imports.schemas.js';

const format = (value: number) => value.toLocaleString('en');

/** The human summary of an import: what happened to every row, and where the rejects are. */
export function formatReport(report: ImportReport, options: { errorsFile?: string | undefined }): string {
  const seconds = report.finished_at ? (new Date(report.finished_at).getTime() - new Date(report.started_at).getTime()) / 1000 : 0;
  const verb = report.dry_run ? 'would be' : 'were';
  const lines = [
    `Import #${report.id} ${report.status}${report.dry_run ? ' (dry run: nothing was written)' : ''}: ${report.filename ?? 'stdin'}`,
    `  rows read            ${format(report.rows_total)}`,
    `  inserted             ${format(report.inserted)}${report.dry_run ? ' (would be)' : ''}`,
    `  moved                ${format(report.moved)}${report.on_duplicate === 'skip' ? ' (on_duplicate=skip: filed numbers stay where they are)' : ''}`,
    `  already filed        ${format(report.already_present)}`,
    `  duplicates in file   ${format(report.duplicates_in_file)} (the first row of each counted)`,
    `  invalid              ${format(report.invalid)}`,
  ];
  if (report.categories_created.length > 0) {
    lines.push(`  categories that ${verb} created: ${report.categories_created.join(', ')}`);
  }
  lines.push(`  took ${seconds.toFixed(1)} s (${format(Math.round(report.rows_total / Math.max(seconds, 0.001)))} rows/s)`);
  if (report.errors.length > 0) {
    lines.push('', `Rejected rows${report.invalid > report.errors.length ? ` (first ${report.errors.length} of ${format(report.invalid)})` : ''}:`);
    for (const row of report.errors.slice(0, 10)) lines.push(`  line ${row.line}${row.last_line ? `–${row.last_line}` : ''}: ${JSON.stringify(row.value)} ${row.reason}`);
    if (report.errors.length > 10) lines.push(`  …`);
    lines.push(options.errorsFile ? `All rejected rows are in ${options.errorsFile}` : 'Write them all to a file with --errors OUT.csv');
  }
  return lines.join('\n');
}
