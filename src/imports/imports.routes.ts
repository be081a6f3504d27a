import { access } from '../auth/require-role.js';
import { describeIssues } from '../zod-issues.js';
import { createRoute, z } from '@hono/zod-openapi';
import { ValidationError } from '../errors.js';
import { errorResponses, IdParamSchema, jsonContent } from '../http/common.schemas.js';
import { csvResponse } from '../http/csv-response.js';
import { createRouter } from '../http/router.js';
import { ImportOptionsSchema, ImportReportSchema, ListImportsQuerySchema, RevertResultSchema } from './imports.schemas.js';
import { getImport, importUpload, listImports, rejectionsCsv, revertImport } from './imports.service.js';
import { openUpload } from './upload.js';
import type { UploadGate } from './upload-gate.js';

const tags = ['Imports'];

export interface ImportsRouterOptions {
  maxBytes: number;
  uploads: UploadGate;
}

export function createImportsRouter({ maxBytes, uploads }: ImportsRouterOptions) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports',
        operationId: 'importFile',
        ...access('staff'),
        tags,
        summary: 'Import a CSV file (text/csv body, or the "file" field of multipart/form-data)',
        description:
          'Body: the CSV file as `text/csv`, or as the `file` field of `multipart/form-data` (other form fields may carry ' +
          'the same options as the query). Streams the file into the importer: nothing is buffered whole. A file-level problem (no phone column, not text, ' +
          'an unclosed quote, over the size limit) changes nothing and answers 422 or 413 with details.reason and details.import_id.',
        // The body is deliberately not declared to the validator: it would read the whole upload
        // into memory. It is streamed by openUpload instead, and described here in words.
        request: { query: ImportOptionsSchema.extend({ filename: z.string().max(255).optional() }) },
        responses: {
          201: jsonContent(ImportReportSchema, 'The import report'),
          ...errorResponses(400, 401, 403, 413, 415, 422, 429),
        },
      }),
      async (c) => {
        const leave = uploads.enter(c);
        const upload = await openUpload(c.req.raw, maxBytes).catch((error: unknown) => {
          leave();
          throw error;
        });
        try {
          // A web form may send its choices as fields; the query string wins when both are given.
          const query = c.req.query();
          const parsed = ImportOptionsSchema.safeParse({ ...upload.fields, ...query });
          if (!parsed.success) {
            throw new ValidationError(`Invalid import options: ${describeIssues(parsed.error.issues).join('; ')}`);
          }
          const report = await importUpload(
            c.get('ctx'),
            {
              source: upload.fields.source === 'web' ? 'web' : 'http',
              file: upload.file,
              filename: upload.filename,
              bytesTotal: upload.bytesTotal,
              maxBytes,
              stallTimeoutMs: uploads.stallTimeoutMs,
            },
            parsed.data,
          );
          return c.json(report, 201);
        } finally {
          leave();
          // Whatever the importer left unread is drained, so the client receives the answer.
          upload.file.resume();
        }
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/imports',
        operationId: 'listImports',
        ...access('staff'),
        tags,
        summary: 'Import history, newest first (reports without their rejected rows)',
        request: { query: ListImportsQuerySchema },
        responses: { 200: jsonContent(z.object({ items: z.array(ImportReportSchema) }), 'Imports'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const query = c.req.valid('query');
        return c.json({ items: await listImports(c.get('ctx'), query.limit, query.before_id) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/imports/{id}',
        operationId: 'getImport',
        ...access('staff'),
        tags,
        summary: 'One import report, with progress while it runs and its first 100 rejected rows',
        request: { params: IdParamSchema },
        responses: { 200: jsonContent(ImportReportSchema, 'The report'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json(await getImport(c.get('ctx'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports/{id}/revert',
        operationId: 'revertImport',
        ...access('staff'),
        tags,
        summary: 'Undo an import: remove the numbers it filed, move back the ones it moved, keep what changed since',
        description:
          'Once per import (409 after that, and for dry runs and imports that did not complete). One transaction; audited. ' +
          'The import report then has reverted_at.',
        request: { params: IdParamSchema },
        responses: { 200: jsonContent(RevertResultSchema, 'What the revert did'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json(await revertImport(c.get('ctx'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/imports/{id}/errors.csv',
        operationId: 'getImportErrorsCsv',
        ...access('staff'),
        tags,
        summary: 'Every rejected row as CSV: line,value,reason,last_line (last_line only when a rejection covers several lines)',
        request: { params: IdParamSchema },
        responses: {
          200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
          ...errorResponses(400, 401, 403, 404),
        },
      }),
      async (c) => {
        const id = c.req.valid('param').id;
        await getImport(c.get('ctx'), id);
        return csvResponse(c, rejectionsCsv(c.get('ctx'), id), `import-${id}-errors.csv`);
      },
    );
}
