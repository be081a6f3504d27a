import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ColumnChoice } from './csv-columns.js';
import { sniffFormat } from './sniff-format.js';
import { ImportFileError, type ImportFileFailure } from './import-errors.js';
import type { FromParser, ParseWorkerData } from './parse-worker-protocol.js';
import type { PreparedChunk } from './prepared-chunk.js';
import type { ClassifiedCounts, RowClassifierOptions } from './row-classifier.js';

export interface ParserThread {
  /** Chunks ready for the database, in file order; throws the file-level failure if there is one. */
  chunks: AsyncGenerator<PreparedChunk>;
  bytesRead(): number;
  rowsRead(): number;
  /** Valid and invalid row counts; known once `chunks` is exhausted. */
  counts(): ClassifiedCounts;
  /** Display name of a category the file names that does not exist yet. */
  nameToCreate(key: string): string | undefined;
  stop(): Promise<void>;
}

/**
 * Input bytes handed to the worker and not yet taken in by its streams; bounds memory whatever the
 * file size. The worker acknowledges bytes as its streams accept them (never per parsed batch, which
 * may need more bytes than this window holds: that wait could never end).
 */
const INPUT_WINDOW_BYTES = 1024 * 1024;
/** Parsed chunks waiting for the database before the input is paused. */
const CHUNKS_AHEAD = 2;

const here = fileURLToPath(import.meta.url);
const workerFile = path.join(path.dirname(here), `parse-worker${path.extname(here)}`);
const projectRoot = path.resolve(path.dirname(here), '../../..');

let bundledWorker: Promise<string> | undefined;

/**
 * Compiled (the Docker image), the worker is plain JavaScript. From source (npm start, npm run
 * import, tests) it is bundled once per process with esbuild, which tsx already brings: loading
 * tsx's loader into the worker instead would cost ~35 MB of memory and half a second per import.
 * The bundle lives next to the dependencies so that its imports resolve to them.
 */
function workerEntry(): Promise<string> {
  if (path.extname(here) !== '.ts') return Promise.resolve(workerFile);
  bundledWorker ??= (async () => {
    const { build } = await import('esbuild');
    const outDir = path.join(projectRoot, 'node_modules', '.cache', 'wa-contact-categories');
    const result = await build({ entryPoints: [workerFile], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false });
    const contents = result.outputFiles[0]!.contents;
    // Named by content: unchanged sources reuse the file; a rename makes concurrent writers safe.
    const file = path.join(outDir, `parse-worker-${createHash('sha256').update(contents).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      await mkdir(outDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, contents);
      await rename(temporary, file);
    }
    return file;
  })();
  return bundledWorker;
}

async function spawnWorker(workerData: ParseWorkerData): Promise<Worker> {
  // The parser holds at most a chunk or two: a bounded heap keeps the import's memory flat. A
  // workbook's shared strings (every distinct text cell, packed, by index) need more room: ~35 MB
  // for a million numbers stored as text (the XML is capped at 96 MB, see workbook-parts).
  const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: workerData.format === 'xlsx' ? 128 : 64 };
  return new Worker(await workerEntry(), { workerData, resourceLimits });
}

export async function startParserThread(
  input: Readable,
  options: { importId: number; classifier: RowClassifierOptions; maxBytes: number | undefined; chunkRows: number; stallTimeoutMs: number; columns: ColumnChoice; sheet: string | undefined },
): Promise<ParserThread> {
  const format = await sniffFormat(input, options.stallTimeoutMs);
  const data: ParseWorkerData = {
    importId: options.importId,
    classifier: options.classifier,
    maxBytes: options.maxBytes,
    chunkRows: options.chunkRows,
    columns: options.columns,
    format,
    sheet: options.sheet,
    chunksAhead: CHUNKS_AHEAD,
  };
  const worker = await spawnWorker(data);
  const ready: PreparedChunk[] = [];
  const names = new Map<string, string>();
  let posted = 0;
  let consumed = 0;
  let parsed = 0;
  let rowsRead = 0;
  let counts: ClassifiedCounts = { rows: 0, valid: 0, invalid: 0, numbersFromSplitCells: 0 };
  let finished = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const flow = () => {
    const behind = posted - consumed > INPUT_WINDOW_BYTES || ready.length >= CHUNKS_AHEAD;
    if (behind) input.pause();
    else if (input.isPaused() && !input.readableEnded) input.resume();
  };
  const fail = (error: Error) => {
    failure ??= error;
    notify();
  };

  // A client that stops sending would keep the import (its lock and connection) forever. Time spent
  // paused by this side's own flow control is not the client's stall, so it does not count.
  // The reader in the thread must not stall either: while it holds bytes it has not taken in, or
  // the whole file, and says nothing for as long, it is stuck (a bug, or a workbook whose shared
  // strings take that long), and the import fails instead of holding the lock forever.
  let lastInput = Date.now();
  let lastFromWorker = Date.now();
  let online = false;
  worker.once('online', () => {
    online = true;
    lastFromWorker = Date.now();
  });
  const stallCheck = setInterval(() => {
    const now = Date.now();
    // Counted from the thread's start: loading it on a busy machine is not a stall.
    const waitingOnReader = online && (posted - consumed > INPUT_WINDOW_BYTES || (input.readableEnded && !finished));
    if (waitingOnReader && now - lastFromWorker > options.stallTimeoutMs) {
      fail(new ImportFileError('READER_STALLED', `The file's reader made no progress for ${Math.round(options.stallTimeoutMs / 1000)} s; the import was stopped and nothing was saved. Save the sheet as CSV and import that`));
    }
    if (input.isPaused() || input.readableEnded) lastInput = now;
    else if (now - lastInput > options.stallTimeoutMs) {
      fail(new ImportFileError('STALLED_UPLOAD', `No bytes of the file arrived for ${Math.round(options.stallTimeoutMs / 1000)} s; the import was stopped and nothing was saved`));
    }
  }, Math.min(1000, Math.max(50, options.stallTimeoutMs / 4)));
  stallCheck.unref();

  input.on('data', (data: Buffer | string) => {
    lastInput = Date.now();
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    posted += chunk.length;
    worker.postMessage({ type: 'data', bytes: chunk });
    flow();
  });
  // The format was read off the stream's start, which left it paused.
  input.resume();
  input.on('end', () => worker.postMessage({ type: 'end' }));
  // An empty upload may have ended while its format was read.
  if (input.readableEnded) worker.postMessage({ type: 'end' });
  input.on('error', (error) => fail(error));

  worker.on('message', (message: FromParser) => {
    lastFromWorker = Date.now();
    switch (message.type) {
      case 'rows':
        ready.push(message.chunk);
        for (const [key, name] of message.newCategories) names.set(key, name);
        parsed = message.bytesRead;
        rowsRead = message.rowsRead;
        break;
      case 'consumed':
        consumed += message.bytes;
        break;
      case 'progress':
        parsed = message.bytesRead;
        rowsRead = message.rowsRead;
        break;
      case 'done':
        counts = message.counts;
        for (const [key, name] of message.toCreate) names.set(key, name);
        parsed = message.bytesRead;
        finished = true;
        break;
      case 'error':
        fail(message.reason ? new ImportFileError(message.reason as ImportFileFailure, message.message, message.details as Record<string, unknown>) : new Error(message.message));
        break;
    }
    flow();
    notify();
  });
  worker.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return fail(error);
    fail(new ImportFileError('TOO_LARGE', 'The file holds more distinct text than the importer keeps in memory at once; nothing was imported. Save it as CSV and import that'));
  });
  worker.on('exit', (code) => {
    if (!finished) fail(new Error(`the CSV parser stopped unexpectedly (exit code ${code})`));
  });

  async function* chunks(): AsyncGenerator<PreparedChunk> {
    for (;;) {
      if (failure) throw failure;
      const next = ready.shift();
      if (next) {
        worker.postMessage({ type: 'taken' });
        flow();
        yield next;
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  return {
    chunks: chunks(),
    bytesRead: () => parsed,
    rowsRead: () => rowsRead,
    counts: () => counts,
    nameToCreate: (key) => names.get(key),
    stop: async () => {
      clearInterval(stallCheck);
      input.destroy();
      await worker.terminate();
    },
  };
}
