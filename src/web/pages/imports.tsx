import { Hono, type Context } from 'hono';
import { listCategories } from '../../categories/categories.service.js';
import type { Category } from '../../categories/categories.schemas.js';
import { AppError, ValidationError } from '../../errors.js';
import { csvResponse } from '../../http/csv-response.js';
import type { AppEnv } from '../../http/router.js';
import { columnChoice, ImportOptionsSchema, ListImportsQuerySchema, type ImportReport } from '../../imports/imports.schemas.js';
import { getImport, importCsv, listImports, rejectionsCsv, revertImport } from '../../imports/imports.service.js';
import { openUpload, type Upload } from '../../imports/upload.js';
import type { UploadGate } from '../../imports/upload-gate.js';
import { wantsJson } from '../error-page.js';
import { idParam, parseForm } from '../forms.js';
import { Alert, Layout } from '../layout.js';
import { consoleHeaders, sameOriginOnly, signedIn } from '../session.js';
import { ImportHistory, ReportDetails } from './import-report.js';
import { COLUMN_ROLES, COLUMN_ROLE_NAMES } from '../../import/csv-columns.js';

const HISTORY_PAGE = 20;

/** Every word of the column choice on the upload form, in one place (for translation); upload.js has its own. */
const COLUMN_WORDS = {
  legend: 'Columns',
  hint: 'Found by their headers (phone, nomor, no_hp, hp, wa…; kategori; nama). When the headers are unusual, name the columns here: a header as written, or a position (1 = the first column).',
  labels: { phone: 'Phone numbers in column', category: 'Categories in column', name: 'Names in column' } as Record<string, string>,
};

/** The header names each column is known by, for the page's script to recognize them before upload. */
const COLUMN_ALIASES = JSON.stringify(Object.fromEntries(COLUMN_ROLE_NAMES.map((role) => [role, COLUMN_ROLES[role].aliases])));

function ColumnFields() {
  return (
    <fieldset id="columns" data-aliases={COLUMN_ALIASES}>
      <legend>{COLUMN_WORDS.legend}</legend>
      <p class="hint" id="columns-hint">{COLUMN_WORDS.hint}</p>
      <div id="column-preview" hidden></div>
      <div id="column-inputs" class="column-inputs">
        {COLUMN_ROLE_NAMES.map((role) => (
          <div class="choice">
            <label for={`${role}-column`}>{COLUMN_WORDS.labels[role] ?? role}</label>
            <input type="text" id={`${role}-column`} name={`${role}_column`} maxlength={200} autocomplete="off" />
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function UploadForm({ categories, maxBytes }: { categories: Category[]; maxBytes: number }) {
  return (
    <form method="post" action="/imports" enctype="multipart/form-data" class="card upload-form" id="upload-form" data-max-bytes={String(maxBytes)}>
      <fieldset>
        <legend>Category</legend>
        <div class="choice">
          <input type="radio" id="mode-column" name="category_mode" value="column" />
          <label for="mode-column">Use the file’s category column (category or kategori)</label>
        </div>
        <div class="choice">
          <input type="radio" id="mode-file" name="category_mode" value="file" checked />
          <label for="mode-file">One category for the file:</label>
          <select id="category" name="category" aria-label="Category for the file">
            <option value="">Choose a category…</option>
            {categories.map((category) => (
              <option value={category.name}>{category.name}</option>
            ))}
          </select>
        </div>
        <p class="hint">With one category for the file, every row goes there, even a row that names another category in a category column.</p>
      </fieldset>
      <fieldset>
        <legend>Numbers that are already filed</legend>
        <div class="choice">
          <input type="radio" id="dup-skip" name="on_duplicate" value="skip" checked />
          <label for="dup-skip">Skip them: leave them in their category</label>
        </div>
        <div class="choice">
          <input type="radio" id="dup-move" name="on_duplicate" value="move" />
          <label for="dup-move">Move them to this file’s category</label>
        </div>
      </fieldset>
      <ColumnFields />
      <div class="choice">
        <input type="checkbox" id="dry-run" name="dry_run" value="true" />
        <label for="dry-run">Dry run: show what would happen, save nothing</label>
      </div>
      {/* Last in the form: a browser sends fields in this order, and the server reads the options before the file. */}
      <div class="drop-zone" id="drop-zone">
        <label for="file">CSV file (or Excel .xlsx)</label>
        <input
          type="file"
          id="file"
          name="file"
          accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
        />
        <p class="hint" id="drop-hint">Choose a file, or drop it here. Up to {formatSize(maxBytes)}; its header line needs a phone column (phone, nomor, no_hp, hp, wa, …).</p>
      </div>
      <button type="submit" id="upload-button">
        Upload and import
      </button>
      <div class="upload-progress" id="upload-status" hidden>
        <label for="upload-progress" id="upload-progress-label">
          Uploading…
        </label>
        <progress id="upload-progress" max="100" value="0"></progress>
        <p aria-live="polite" id="upload-message" class="muted"></p>
      </div>
    </form>
  );
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

async function importsPage(c: Context<AppEnv>, maxBytes: number, error?: string) {
  const query = parseForm(ListImportsQuerySchema, { limit: HISTORY_PAGE, before_id: c.req.query('before_id') || undefined });
  const [categories, imports] = await Promise.all([listCategories(c.get('ctx')), listImports(c.get('ctx'), query.limit, query.before_id)]);
  const last = imports[imports.length - 1];
  return (
    <Layout title="Import a spreadsheet" actor={c.get('actor')} section="imports" scripts={['upload.js']}>
      <div id="upload-error" aria-live="assertive">
        {error && (
          <Alert kind="error">
            <p>{error}</p>
          </Alert>
        )}
      </div>
      {query.before_id === undefined && <UploadForm categories={categories} maxBytes={maxBytes} />}
      <section aria-labelledby="history">
        <h2 id="history">Past imports</h2>
        <ImportHistory imports={imports} olderThan={imports.length === query.limit && last ? last.id : null} />
      </section>
    </Layout>
  );
}

/** The size the page's script read from the file: only for the percentage, never trusted further. */
function declaredSize(value: string | undefined): number | null {
  const size = Number(value);
  return value && Number.isSafeInteger(size) && size >= 0 ? size : null;
}

async function runUpload(c: Context<AppEnv>, upload: Upload, maxBytes: number, stallTimeoutMs: number): Promise<ImportReport> {
  const fields = upload.fields;
  const mode = fields.category_mode ?? (fields.category ? 'file' : 'column');
  if (mode === 'file' && !fields.category?.trim()) {
    throw new ValidationError('Choose a category for the file, or use the file’s category column');
  }
  const options = parseForm(ImportOptionsSchema, {
    on_duplicate: fields.on_duplicate,
    dry_run: fields.dry_run,
    category: mode === 'file' ? fields.category : undefined,
    category_for_every_row: mode === 'file' ? 'true' : 'false',
    phone_column: fields.phone_column || undefined,
    category_column: mode === 'column' ? fields.category_column || undefined : undefined,
    name_column: fields.name_column || undefined,
  });
  return importCsv(c.get('ctx'), upload.file, {
    source: 'web',
    filename: upload.filename,
    category: options.category,
    categoryForEveryRow: options.category_for_every_row,
    onDuplicate: options.on_duplicate,
    dryRun: options.dry_run,
    createCategories: false,
    bytesTotal: declaredSize(fields.file_size),
    maxBytes,
    stallTimeoutMs,
    columns: columnChoice(options),
  });
}

/** Every word the revert button and its answers show, in one place (for translation). */
const REVERT_WORDS = {
  heading: 'Undo this import',
  explain: 'Removes the numbers this import filed and moves the numbers it moved back to their categories (with their names). Numbers changed since the import are kept as they are. An import can be undone once.',
  button: 'Undo this import',
  confirm: (report: ImportReport) =>
    `Undo import #${report.id}? Up to ${report.inserted} numbers it filed will be removed and up to ${report.moved} numbers it moved will go back to their categories. Numbers changed since are kept. This can be done only once.`,
  reverted: (at: string) => `This import was undone on ${at}.`,
  done: (counts: { removed: number; restored: number; kept: number }) =>
    `Import undone: ${counts.removed} numbers removed, ${counts.restored} moved back, ${counts.kept} kept because they were changed since.`,
};

function revertedCounts(query: Record<string, string>): { removed: number; restored: number; kept: number } | null {
  const [removed, restored, kept] = [query.removed, query.restored, query.kept].map((value) => (value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : null));
  return removed == null || restored == null || kept == null ? null : { removed, restored, kept };
}

function RevertForm({ report }: { report: ImportReport }) {
  if (report.reverted_at) return <p id="reverted">{REVERT_WORDS.reverted(report.reverted_at.slice(0, 16).replace('T', ' '))}</p>;
  if (report.status !== 'completed' || report.dry_run || report.inserted + report.moved === 0) return null;
  return (
    <form method="post" action={`/imports/${report.id}/revert`} class="card" data-confirm={REVERT_WORDS.confirm(report)}>
      <h2>{REVERT_WORDS.heading}</h2>
      <p>{REVERT_WORDS.explain}</p>
      <button type="submit" id="revert-import">{REVERT_WORDS.button}</button>
    </form>
  );
}

export function createImportRoutes({ maxBytes, uploads }: { maxBytes: number; uploads: UploadGate }) {
  return new Hono<AppEnv>()
    .get('/imports', consoleHeaders, signedIn('staff'), async (c) => c.html(await importsPage(c, maxBytes)))
    .post('/imports', consoleHeaders, sameOriginOnly, signedIn('staff'), async (c) => {
      try {
        // The body streams into the importer as it arrives; the page follows it through running.json.
        const leave = uploads.enter(c);
        const upload = await openUpload(c.req.raw, maxBytes).catch((error: unknown) => {
          leave();
          throw error;
        });
        try {
          const report = await runUpload(c, upload, maxBytes, uploads.stallTimeoutMs);
          const url = `/imports/${report.id}`;
          return wantsJson(c) ? c.json({ id: report.id, report_url: url }, 201) : c.redirect(url, 303);
        } finally {
          leave();
          // Whatever the importer left unread is drained, so the browser receives the answer.
          upload.file.resume();
        }
      } catch (error) {
        if (!(error instanceof AppError) || wantsJson(c)) throw error;
        // A file-level failure has a report of its own that says what was wrong with the file.
        const importId = (error.details as { import_id?: unknown } | undefined)?.import_id;
        if (typeof importId === 'number') return c.redirect(`/imports/${importId}`, 303);
        return c.html(await importsPage(c, maxBytes, error.message), error.status);
      }
    })
    .get('/imports/running.json', consoleHeaders, signedIn('staff', { fetched: true }), async (c) => {
      // Imports run one at a time, so the running ones are among the newest few.
      const recent = await listImports(c.get('ctx'), 10);
      const running = recent
        .filter((report) => report.status === 'running')
        .map((report) => ({
          id: report.id,
          filename: report.filename,
          mine: report.created_by === c.get('actor').name,
          rows_read: report.rows_total,
          percent: report.progress.percent,
        }));
      return c.json({ running });
    })
    .get('/imports/:id', consoleHeaders, signedIn('staff'), async (c) => {
      const report = await getImport(c.get('ctx'), idParam(c));
      const done = revertedCounts(c.req.query());
      return c.html(
        <Layout title={`Import report: ${report.filename ?? `#${report.id}`}`} actor={c.get('actor')} section="imports" scripts={['upload.js']}>
          {done && (
            <Alert kind="success">
              <p>{REVERT_WORDS.done(done)}</p>
            </Alert>
          )}
          <ReportDetails report={report} />
          <RevertForm report={report} />
          <p>
            <a href="/imports">Import another file</a>
          </p>
        </Layout>,
      );
    })
    .post('/imports/:id/revert', consoleHeaders, sameOriginOnly, signedIn('staff'), async (c) => {
      const id = idParam(c);
      const counts = await revertImport(c.get('ctx'), id);
      return c.redirect(`/imports/${id}?removed=${counts.removed}&restored=${counts.restored}&kept=${counts.kept_changed}`, 303);
    })
    .get('/imports/:id/errors.csv', consoleHeaders, signedIn('staff'), async (c) => {
      const id = idParam(c);
      await getImport(c.get('ctx'), id);
      return csvResponse(c, rejectionsCsv(c.get('ctx'), id), `import-${id}-errors.csv`);
    });
}
