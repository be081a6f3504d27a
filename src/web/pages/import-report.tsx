import type { ImportReport } from '../../imports/imports.schemas.js';
import { Alert, formatCount, formatTime } from '../layout.js';
import { reasonInWords } from '../plain-words.js';

const STATUS_WORDS: Record<ImportReport['status'], string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

export function StatusBadge({ report }: { report: ImportReport }) {
  const dry = report.dry_run ? ' (dry run)' : '';
  return <span class={`status status-${report.status}`}>{`${STATUS_WORDS[report.status]}${dry}`}</span>;
}

function duration(report: ImportReport): string {
  if (!report.finished_at) return '';
  const seconds = (Date.parse(report.finished_at) - Date.parse(report.started_at)) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The counts, each as "N label" so the page reads the way people say it: "2 inserted". */
export function ReportCounts({ report }: { report: ImportReport }) {
  const counts: Array<[string, number, string]> = [
    ['inserted', report.inserted, report.dry_run ? 'new numbers that would be filed' : 'new numbers filed'],
    ['moved', report.moved, 'numbers filed before, moved to the file’s category'],
    ['already present', report.already_present, 'numbers filed before, left where they were'],
    ['duplicates in file', report.duplicates_in_file, 'rows repeating a number from an earlier row (the first one counts)'],
    ['invalid', report.invalid, 'rows that are not a number we can file'],
  ];
  return (
    <ul class="report-counts" aria-label="Import counts">
      {counts.map(([label, value, hint]) => (
        <li data-count={label} title={hint}>
          <span class="count-value">{formatCount(value)}</span> {label}
        </li>
      ))}
    </ul>
  );
}

export function ReportDetails({ report }: { report: ImportReport }) {
  return (
    <div class="report" data-import-id={report.id} data-status={report.status}>
      <p>
        <StatusBadge report={report} /> <span class="muted">Import #{report.id}</span>
      </p>
      {report.dry_run && report.status === 'completed' && (
        <Alert kind="info">
          <p>This was a dry run: nothing was saved. The counts say what a real import would do.</p>
        </Alert>
      )}
      {report.failure && (
        <Alert kind="error">
          <p>{report.failure.message}</p>
          <p class="muted">Nothing from this file was saved. Fix the file and upload it again.</p>
        </Alert>
      )}
      {report.status === 'running' && (
        <div class="running" data-running-import={report.id}>
          <label for="running-progress">Importing… {report.progress.percent === null ? '' : `${report.progress.percent} %`}</label>
          <progress id="running-progress" max="100" value={report.progress.percent === null ? undefined : String(report.progress.percent)}></progress>
          <p class="muted" aria-live="polite" id="running-status">
            {formatCount(report.rows_total)} rows read so far. This page updates itself.
          </p>
        </div>
      )}
      {report.status === 'completed' && <ReportCounts report={report} />}
      <dl class="facts">
        <dt>File</dt>
        <dd>{report.filename ?? '(no name)'}</dd>
        <dt>Rows read</dt>
        <dd>{formatCount(report.rows_total)}</dd>
        <dt>Category</dt>
        <dd>
          {!report.category
            ? 'from the file’s category column'
            : report.category_for_every_row
              ? `“${report.category}” for every row`
              : `“${report.category}” for rows without their own`}
        </dd>
        <dt>Numbers filed before</dt>
        <dd>{report.on_duplicate === 'move' ? 'moved to the file’s category' : 'left where they were'}</dd>
        <dt>By</dt>
        <dd>{report.created_by ?? '—'}</dd>
        <dt>Started</dt>
        <dd>{formatTime(report.started_at)}</dd>
        <dt>Finished</dt>
        <dd>
          {formatTime(report.finished_at)} {report.finished_at && <span class="muted">({duration(report)})</span>}
        </dd>
        {report.categories_created.length > 0 && (
          <>
            <dt>Categories created</dt>
            <dd>{report.categories_created.join(', ')}</dd>
          </>
        )}
      </dl>
      {report.status === 'completed' && report.invalid > 0 && <Rejections report={report} />}
    </div>
  );
}

function Rejections({ report }: { report: ImportReport }) {
  const shown = report.errors.length;
  return (
    <section aria-labelledby="rejected">
      <h2 id="rejected">Rejected rows</h2>
      <p>
        {shown < report.invalid ? `The first ${formatCount(shown)} of ${formatCount(report.invalid)} rejected rows.` : `All ${formatCount(shown)} rejected rows.`}{' '}
        <a href={`/imports/${report.id}/errors.csv`} download id="download-errors">
          Download all rejected rows (errors.csv)
        </a>
      </p>
      <div class="table-scroll">
        <table class="rejections stack">
          <thead>
            <tr>
              <th scope="col" class="num">Line</th>
              <th scope="col">Value</th>
              <th scope="col">Why it was rejected</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((row) => (
              <tr>
                <td class="num" data-label="Line">{row.last_line ? `${row.line}–${row.last_line}` : row.line}</td>
                <td data-label="Value">
                  <code>{row.value === '' ? '(empty)' : row.value}</code>
                </td>
                <td data-label="Why">
                  {reasonInWords(row.reason)} <span class="muted code">{row.reason}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ImportHistory({ imports, olderThan }: { imports: ImportReport[]; olderThan: number | null }) {
  if (imports.length === 0) return <p>No imports yet.</p>;
  return (
    <>
      <div class="table-scroll">
        <table class="history stack">
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Inserted</th>
              <th scope="col" class="num">Moved</th>
              <th scope="col" class="num">Already present</th>
              <th scope="col" class="num">Duplicates in file</th>
              <th scope="col" class="num">Invalid</th>
              <th scope="col">By</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((report) => (
              <tr data-import-id={report.id}>
                <td>
                  <a href={`/imports/${report.id}`}>
                    <span class="visually-hidden">Report of import </span>#{report.id}
                  </a>
                </td>
                <td class="filename" data-label="File">{report.filename ?? '(no name)'}</td>
                <td data-label="Status">
                  <StatusBadge report={report} />
                </td>
                <td class="num" data-label="Inserted">{formatCount(report.inserted)}</td>
                <td class="num" data-label="Moved">{formatCount(report.moved)}</td>
                <td class="num" data-label="Already present">{formatCount(report.already_present)}</td>
                <td class="num" data-label="Duplicates in file">{formatCount(report.duplicates_in_file)}</td>
                <td class="num" data-label="Invalid">{formatCount(report.invalid)}</td>
                <td data-label="By">{report.created_by ?? '—'}</td>
                <td data-label="Started">{formatTime(report.started_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {olderThan !== null && (
        <p>
          <a href={`/imports?before_id=${olderThan}`}>Older imports</a>
        </p>
      )}
    </>
  );
}
