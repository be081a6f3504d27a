import type { ImportReport } from '../../imports/imports.schemas.js';
import { errorInWords } from '../i18n/error-words.js';
import type { Words } from '../i18n/words.js';
import { Alert } from '../layout.js';

/** The words upload.js shows, in the page's language, as JSON for a data attribute (the script has no catalog of its own). */
export function uploadScriptWords(w: Words): string {
  return JSON.stringify({ ...w.t.imports.script, noCategory: w.t.imports.chooseCategoryFirst, locale: w.tag });
}

export function StatusBadge({ w, report }: { w: Words; report: ImportReport }) {
  const dry = report.dry_run ? w.t.report.dry : '';
  return <span class={`status status-${report.status}`}>{`${w.t.report.status[report.status]}${dry}`}</span>;
}

function duration(w: Words, report: ImportReport): string {
  if (!report.finished_at) return '';
  const seconds = (Date.parse(report.finished_at) - Date.parse(report.started_at)) / 1000;
  return seconds < 60 ? w.t.report.seconds(w.tenths(seconds)) : w.t.report.minutes(Math.floor(seconds / 60), Math.round(seconds % 60));
}

/**
 * The counts, each as "N label" so the page reads the way people say it: "2 inserted". `data-count`
 * names each count by its API field, the same in every language.
 */
export function ReportCounts({ w, report }: { w: Words; report: ImportReport }) {
  const r = w.t.report;
  const counts: Array<[string, number, string, string]> = [
    ['inserted', report.inserted, r.inserted, report.dry_run ? r.insertedHintDry : r.insertedHint],
    ['moved', report.moved, r.moved, r.movedHint],
    ['already present', report.already_present, r.present, r.presentHint],
    ['duplicates in file', report.duplicates_in_file, r.duplicates, r.duplicatesHint],
    ['invalid', report.invalid, r.invalid, r.invalidHint],
  ];
  return (
    <ul class="report-counts" aria-label={r.counts}>
      {counts.map(([key, value, label, hint]) => (
        <li data-count={key} title={hint}>
          <span class="count-value">{w.count(value)}</span> {label}
        </li>
      ))}
    </ul>
  );
}

export function ReportDetails({ w, report }: { w: Words; report: ImportReport }) {
  const r = w.t.report;
  return (
    <div class="report" data-import-id={report.id} data-status={report.status}>
      <p>
        <StatusBadge w={w} report={report} /> <span class="muted">{r.importNo(report.id)}</span>
      </p>
      {report.dry_run && report.status === 'completed' && (
        <Alert kind="info">
          <p>{r.dryRun}</p>
        </Alert>
      )}
      {report.failure && (
        <Alert kind="error">
          <p>
            {errorInWords(w, { code: 'VALIDATION_FAILED', details: { reason: report.failure.reason } })}{' '}
            <span class="muted code">{report.failure.reason}</span>
          </p>
          <p class="muted">{r.nothingSaved}</p>
        </Alert>
      )}
      {report.status === 'running' && (
        <div class="running" data-running-import={report.id} data-words={uploadScriptWords(w)}>
          <label for="running-progress">
            {r.importing} {report.progress.percent === null ? '' : `${report.progress.percent} %`}
          </label>
          <progress id="running-progress" max="100" value={report.progress.percent === null ? undefined : String(report.progress.percent)}></progress>
          <p class="muted" aria-live="polite" id="running-status">
            {r.rowsSoFar(w.count(report.rows_total))}
          </p>
        </div>
      )}
      {report.status === 'completed' && <ReportCounts w={w} report={report} />}
      <dl class="facts">
        <dt>{r.file}</dt>
        <dd>{report.filename ?? r.noName}</dd>
        <dt>{r.rows}</dt>
        <dd>{w.count(report.rows_total)}</dd>
        <dt>{r.category}</dt>
        <dd>{!report.category ? r.fromColumn : report.category_for_every_row ? r.forEveryRow(report.category) : r.forRowsWithout(report.category)}</dd>
        <dt>{r.filedBefore}</dt>
        <dd>{report.on_duplicate === 'move' ? r.movedToFile : r.leftAlone}</dd>
        <dt>{r.by}</dt>
        <dd>{report.created_by ?? '—'}</dd>
        <dt>{r.started}</dt>
        <dd>{w.time(report.started_at)}</dd>
        <dt>{r.finished}</dt>
        <dd>
          {w.time(report.finished_at)} {report.finished_at && <span class="muted">({duration(w, report)})</span>}
        </dd>
        {report.categories_created.length > 0 && (
          <>
            <dt>{r.created}</dt>
            <dd>{report.categories_created.join(', ')}</dd>
          </>
        )}
      </dl>
      {report.status === 'completed' && report.invalid > 0 && <Rejections w={w} report={report} />}
    </div>
  );
}

function Rejections({ w, report }: { w: Words; report: ImportReport }) {
  const r = w.t.report;
  const shown = report.errors.length;
  return (
    <section aria-labelledby="rejected">
      <h2 id="rejected">{r.rejected}</h2>
      <p>
        {shown < report.invalid ? r.firstRejected(w.count(shown), w.count(report.invalid)) : r.allRejected(w.count(shown))}{' '}
        <a href={`/imports/${report.id}/errors.csv`} download id="download-errors">
          {r.download}
        </a>
      </p>
      <div class="table-scroll">
        <table class="rejections stack">
          <thead>
            <tr>
              <th scope="col" class="num">
                {r.line}
              </th>
              <th scope="col">{r.value}</th>
              <th scope="col">{r.why}</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((row) => (
              <tr>
                <td class="num" data-label={r.line}>
                  {row.last_line ? `${row.line}–${row.last_line}` : row.line}
                </td>
                <td data-label={r.value}>
                  <code>{row.value === '' ? r.empty : row.value}</code>
                </td>
                <td data-label={r.why}>
                  {(w.t.reasons as Record<string, string>)[row.reason] ?? row.reason} <span class="muted code">{row.reason}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ImportHistory({ w, imports, first, olderThan }: { w: Words; imports: ImportReport[]; first: boolean; olderThan: number | null }) {
  const r = w.t.report;
  if (imports.length === 0) return <p id="no-imports">{first ? w.t.imports.noHistory : w.t.imports.noOlder}</p>;
  const columns: Array<[string, 'inserted' | 'moved' | 'already_present' | 'duplicates_in_file' | 'invalid']> = [
    [r.inserted, 'inserted'],
    [r.moved, 'moved'],
    [r.present, 'already_present'],
    [r.duplicates, 'duplicates_in_file'],
    [r.invalid, 'invalid'],
  ];
  return (
    <>
      <div class="table-scroll">
        <table class="history stack">
          <thead>
            <tr>
              <th scope="col">{r.import}</th>
              <th scope="col">{r.file}</th>
              <th scope="col">{r.statusLabel}</th>
              {columns.map(([label]) => (
                <th scope="col" class="num">
                  {capitalize(label)}
                </th>
              ))}
              <th scope="col">{r.by}</th>
              <th scope="col">{r.started}</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((report) => (
              <tr data-import-id={report.id}>
                <td>
                  <a href={`/imports/${report.id}`}>
                    <span class="visually-hidden">{r.reportOf}</span>#{report.id}
                  </a>
                </td>
                <td class="filename" data-label={r.file}>
                  {report.filename ?? r.noName}
                </td>
                <td data-label={r.statusLabel}>
                  <StatusBadge w={w} report={report} />
                </td>
                {columns.map(([label, field]) => (
                  <td class="num" data-label={capitalize(label)}>
                    {w.count(report[field])}
                  </td>
                ))}
                <td data-label={r.by}>{report.created_by ?? '—'}</td>
                <td data-label={r.started}>{w.time(report.started_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {olderThan !== null && (
        <p>
          <a href={`/imports?before_id=${olderThan}`}>{w.t.imports.older}</a>
        </p>
      )}
    </>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
