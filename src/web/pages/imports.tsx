import { Hono, type Context } from 'hono';
import { statusOf } from '../../http/error-status.js';
import { listCategories } from '../../categories/categories.service.js';
import type { Category } from '../../categories/categories.schemas.js';
import { AppError, ValidationError } from '../../errors.js';
import { csvResponse } from '../../http/csv-response.js';
import type { AppEnv } from '../../http/router.js';
import { ImportOptionsSchema, ListImportsQuerySchema, type ImportReport } from '../../imports/imports.schemas.js';
import { getImport, importUpload, listImports, rejectionsCsv, revertImport } from '../../imports/imports.service.js';
import { openUpload, type Upload } from '../../imports/upload.js';
import type { UploadGate } from '../../imports/upload-gate.js';
import { wantsJson } from '../error-page.js';
import { idParam, parseForm } from '../forms.js';
import { errorInWords, formatSize } from '../i18n/error-words.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Alert, Layout } from '../layout.js';
import { consoleHeaders, sameOriginOnly, signedIn } from '../session.js';
import { ImportHistory, ReportDetails, uploadScriptWords } from './import-report.js';
import { COLUMN_ROLES, type ColumnRole } from '../../imports/pipeline/csv-columns.js';

const HISTORY_PAGE = 20;

/**
 * The columns a person may name on the form: the import options take these three (phone_column,
 * category_column, name_column). WhatsApp id columns (lid, bsuid) are found by their headers only.
 */
const CHOOSABLE_COLUMNS = ['phone', 'category', 'name'] as const satisfies readonly ColumnRole[];

/** The header names each column is known by, for the page's script to recognize them before upload. */
const COLUMN_ALIASES = JSON.stringify(Object.fromEntries(CHOOSABLE_COLUMNS.map((role) => [role, COLUMN_ROLES[role].aliases])));

function ColumnFields({ w }: { w: Words }) {
  const { t } = w;
  return (
    <fieldset id="columns" data-aliases={COLUMN_ALIASES}>
      <legend>{t.imports.columns}</legend>
      <p class="hint" id="columns-hint">{t.imports.columnsHint}</p>
      <div id="column-preview" hidden></div>
      <div id="column-inputs" class="column-inputs">
        {CHOOSABLE_COLUMNS.map((role) => (
          <div class="choice">
            <label for={`${role}-column`}>{t.imports.columnLabels[role]}</label>
            <input type="text" id={`${role}-column`} name={`${role}_column`} maxlength={200} autocomplete="off" />
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function UploadForm({ w, categories, maxBytes }: { w: Words; categories: Category[]; maxBytes: number }) {
  const { t } = w;
  return (
    <form
      method="post"
      action="/imports"
      enctype="multipart/form-data"
      class="card upload-form"
      id="upload-form"
      data-max-bytes={String(maxBytes)}
      data-words={uploadScriptWords(w)}
    >
      <p>
        <a href="/example.csv" download id="example-download">
          {t.imports.example}
        </a>
      </p>
      <fieldset>
        <legend>{t.imports.category}</legend>
        <div class="choice">
          <input type="radio" id="mode-column" name="category_mode" value="column" />
          <label for="mode-column">{t.imports.useColumn}</label>
        </div>
        <div class="choice">
          <input type="radio" id="mode-file" name="category_mode" value="file" checked />
          <label for="mode-file">{t.imports.oneCategory}</label>
          <select id="category" name="category" aria-label={t.imports.categoryForFile}>
            <option value="">{t.imports.chooseCategory}</option>
            {categories.map((category) => (
              <option value={category.name}>{category.name}</option>
            ))}
          </select>
        </div>
        <p class="hint">{t.imports.oneCategoryHint}</p>
      </fieldset>
      <fieldset>
        <legend>{t.imports.duplicates}</legend>
        <div class="choice">
          <input type="radio" id="dup-skip" name="on_duplicate" value="skip" checked />
          <label for="dup-skip">{t.imports.skip}</label>
        </div>
        <div class="choice">
          <input type="radio" id="dup-move" name="on_duplicate" value="move" />
          <label for="dup-move">{t.imports.moveThem}</label>
        </div>
      </fieldset>
      <ColumnFields w={w} />
      <div class="choice">
        <input type="checkbox" id="dry-run" name="dry_run" value="true" />
        <label for="dry-run">{t.imports.dryRun}</label>
      </div>
      {/* Last in the form: a browser sends fields in this order, and the server reads the options before the file. */}
      <div class="drop-zone" id="drop-zone">
        <label for="file">{t.imports.file}</label>
        <input
          type="file"
          id="file"
          name="file"
          accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
        />
        <p class="hint" id="drop-hint">{t.imports.fileHint(formatSize(maxBytes))}</p>
      </div>
      <button type="submit" id="upload-button">
        {t.imports.upload}
      </button>
      <div class="upload-progress" id="upload-status" hidden>
        <label for="upload-progress" id="upload-progress-label">
          {t.imports.uploading}
        </label>
        <progress id="upload-progress" max="100" value="0"></progress>
        <p aria-live="polite" id="upload-message" class="muted"></p>
      </div>
    </form>
  );
}

async function importsPage(c: Context<AppEnv>, maxBytes: number, error?: string) {
  const w = wordsFor(c);
  const { t } = w;
  const query = parseForm(ListImportsQuerySchema, { limit: HISTORY_PAGE, before_id: c.req.query('before_id') || undefined });
  const [categories, imports] = await Promise.all([listCategories(c.get('ctx')), listImports(c.get('ctx'), query.limit, query.before_id)]);
  const last = imports[imports.length - 1];
  return (
    <Layout w={w} title={t.imports.title} actor={c.get('actor')} section="imports" scripts={['upload.js']}>
      <div id="upload-error" aria-live="assertive">
        {error && (
          <Alert kind="error">
            <p>{error}</p>
          </Alert>
        )}
      </div>
      {query.before_id === undefined && <UploadForm w={w} categories={categories} maxBytes={maxBytes} />}
      <section aria-labelledby="history">
        <h2 id="history">{t.imports.history}</h2>
        <ImportHistory w={w} first={query.before_id === undefined} imports={imports} olderThan={imports.length === query.limit && last ? last.id : null} />
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
    throw new ValidationError('Choose a category for the file, or use the file’s category column', { field: 'category' });
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
  // The console's form has no create_categories field: the parsed options say false.
  return importUpload(
    c.get('ctx'),
    { source: 'web', file: upload.file, filename: upload.filename, bytesTotal: declaredSize(fields.file_size), maxBytes, stallTimeoutMs },
    options,
  );
}

function revertedCounts(query: Record<string, string>): { removed: number; restored: number; kept: number } | null {
  const [removed, restored, kept] = [query.removed, query.restored, query.kept].map((value) => (value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : null));
  return removed == null || restored == null || kept == null ? null : { removed, restored, kept };
}

function RevertForm({ w, report }: { w: Words; report: ImportReport }) {
  const words = w.t.imports.revert;
  if (report.reverted_at) return <p id="reverted">{words.reverted(w.time(report.reverted_at))}</p>;
  if (report.status !== 'completed' || report.dry_run || report.inserted + report.moved === 0) return null;
  return (
    <form method="post" action={`/imports/${report.id}/revert`} class="card" data-confirm={words.confirm(report.id, w.count(report.inserted), w.count(report.moved))}>
      <h2>{words.heading}</h2>
      <p>{words.explain}</p>
      <button type="submit" id="revert-import">{words.button}</button>
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
        return c.html(await importsPage(c, maxBytes, errorInWords(wordsFor(c), error, c.get('actor'))), statusOf(error));
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
      const w = wordsFor(c);
      const { t } = w;
      const report = await getImport(c.get('ctx'), idParam(c));
      const done = revertedCounts(c.req.query());
      return c.html(
        <Layout w={w} title={t.imports.reportTitle(report.filename ?? `#${report.id}`)} actor={c.get('actor')} section="imports" scripts={['upload.js']}>
          {done && (
            <Alert kind="success">
              <p>{t.imports.revert.done(w.count(done.removed), w.count(done.restored), w.count(done.kept))}</p>
            </Alert>
          )}
          <ReportDetails w={w} report={report} />
          <RevertForm w={w} report={report} />
          <p>
            <a href="/imports">{t.imports.another}</a>
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
