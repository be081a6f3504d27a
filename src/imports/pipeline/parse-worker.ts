import { setPriority } from 'node:os';
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors.js';
import { readCsvRows } from './read-csv-rows.js';
import { readXlsxRows } from './read-xlsx-rows.js';
import { ChunkPreparer } from './prepared-chunk.js';
import { RowClassifier, type ClassifiedRow, type RowClassifierOptions } from './row-classifier.js';
import type { ParseWorkerData, ToParser, FromParser } from './parse-worker-protocol.js';

/**
 * Runs in a worker thread: decodes, parses and normalizes the bytes the main thread hands over and
 * sends back chunks ready for the database (see PreparedChunk). The main thread stays free to stream those rows into
 * PostgreSQL, so parsing and loading use both cores.
 */
const port = parentPort!;
// On Linux a thread has its own nice value: lowering this thread's priority lets the database
// backend, which is the slowest stage, have a core when the machine has only two.
try {
  setPriority(0, 10);
} catch {
  // Not permitted or not supported: the import is only a little slower.
}
const data = workerData as ParseWorkerData;
const input = new PassThrough();
const post = (message: FromParser) => port.postMessage(message);

// Chunks sent and not yet taken. Pausing the input holds a CSV back, but a workbook is read from
// its spooled file once it has arrived, so the worker itself waits for the loader: without this a
// 1M-row workbook's chunks queued up in the main thread (+80 MB, measured).
let untaken = 0;
let onTaken: (() => void) | undefined;
async function sendChunk(message: FromParser & { type: 'rows' }): Promise<void> {
  while (untaken >= data.chunksAhead) await new Promise<void>((resolve) => (onTaken = resolve));
  untaken += 1;
  post(message);
}

port.on('message', (message: ToParser) => {
  if (message.type === 'data') {
    const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
    // The write callback fires once the stream has room again, i.e. once the parser has pulled
    // these bytes on. Acknowledging here, not per parsed batch, is what keeps the sender's window
    // moving whatever the size of a row: a batch of wide rows may need more bytes than the window.
    input.write(bytes, () => post({ type: 'consumed', bytes: bytes.byteLength }));
  } else if (message.type === 'end') input.end();
  else if (message.type === 'taken') {
    untaken -= 1;
    onTaken?.();
    onTaken = undefined;
  }
});

const classifier = new RowClassifier(data.classifier as RowClassifierOptions);
const reader =
  data.format === 'xlsx'
    ? readXlsxRows(input, { maxBytes: data.maxBytes, columns: data.columns, sheet: data.sheet })
    : readCsvRows(input, data.maxBytes, data.columns);
const preparer = new ChunkPreparer(data.importId);

try {
  let chunk: ClassifiedRow[] = [];
  for await (const batch of reader.rows) {
    for (const row of classifier.classify(batch)) chunk.push(row);
    if (chunk.length >= data.chunkRows) {
      await sendChunk({ type: 'rows', chunk: preparer.prepare(chunk), bytesRead: reader.bytesRead(), rowsRead: classifier.rowsRead, newCategories: classifier.categories.allToCreate() });
      chunk = [];
    } else {
      post({ type: 'progress', bytesRead: reader.bytesRead(), rowsRead: classifier.rowsRead });
    }
  }
  if (chunk.length > 0) await sendChunk({ type: 'rows', chunk: preparer.prepare(chunk), bytesRead: reader.bytesRead(), rowsRead: classifier.rowsRead, newCategories: classifier.categories.allToCreate() });
  post({ type: 'done', counts: classifier.counts(), toCreate: classifier.categories.allToCreate(), bytesRead: reader.bytesRead() });
} catch (error) {
  const known = error instanceof AppError ? { reason: (error.details as { reason?: string })?.reason, details: error.details } : {};
  post({ type: 'error', message: (error as Error).message, ...known });
}
