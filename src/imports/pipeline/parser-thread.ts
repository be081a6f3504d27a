import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { ColumnChoice } from './csv-columns.js';
import { sniffFormat } from './sniff-format.js';
import { ImportFileError, type ImportFileFailure } from './import-errors.js';
import type { FromParser, ParseWorkerData } from './parse-worker-protocol.js';
import type { PreparedChunk } from './prepared-chunk.js';
import type { ClassifiedCounts, RowClassifierOptions } from './row-classifier.js';
import { spawnParseWorker } from './spawn-parse-worker.js';

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

export interface ParserThreadOptions {
  importId: number;
  classifier: RowClassifierOptions;
  maxBytes: number | undefined;
  chunkRows: number;
  stallTimeoutMs: number;
  columns: ColumnChoice;
  sheet: string | undefined;
}

/**
 * Input bytes handed to the worker and not yet taken in by its streams; bounds memory whatever the
 * file size. The worker acknowledges bytes as its streams accept them (never per parsed batch, which
 * may need more bytes than this window holds: that wait could never end).
 */
const INPUT_WINDOW_BYTES = 1024 * 1024;
/** Parsed chunks waiting for the database before the input is paused. */
const CHUNKS_AHEAD = 2;

/** What this side has handed the thread and what the thread has said back: shared by the steps below. */
class ThreadExchange {
  readonly ready: PreparedChunk[] = [];
  readonly names = new Map<string, string>();
  posted = 0;
  consumed = 0;
  parsed = 0;
  rowsRead = 0;
  counts: ClassifiedCounts = { rows: 0, valid: 0, invalid: 0, numbersFromSplitCells: 0 };
  finished = false;
  failure: Error | undefined;
  lastFromWorker = Date.now();
  private wake: (() => void) | undefined;

  constructor(private readonly input: Readable) {}

  /** More bytes handed over than the thread's streams took in: the thread is behind on reading. */
  inputWindowFull(): boolean {
    return this.posted - this.consumed > INPUT_WINDOW_BYTES;
  }

  /** Pauses the upload while the thread or the database is behind, resumes it once they catch up. */
  flow(): void {
    const behind = this.inputWindowFull() || this.ready.length >= CHUNKS_AHEAD;
    if (behind) this.input.pause();
    else if (this.input.isPaused() && !this.input.readableEnded) this.input.resume();
  }

  /** The first failure wins; whoever waits for chunks hears of it. */
  fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  nextNews(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }
}

export async function startParserThread(input: Readable, options: ParserThreadOptions): Promise<ParserThread> {
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
  const worker = await spawnParseWorker(data);
  const exchange = new ThreadExchange(input);
  const stallCheck = watchForStalls(input, worker, exchange, options.stallTimeoutMs);
  feedUpload(input, worker, exchange);
  collectMessages(worker, exchange);
  return {
    chunks: takeChunks(worker, exchange),
    bytesRead: () => exchange.parsed,
    rowsRead: () => exchange.rowsRead,
    counts: () => exchange.counts,
    nameToCreate: (key) => exchange.names.get(key),
    stop: async () => {
      clearInterval(stallCheck);
      input.destroy();
      await worker.terminate();
    },
  };
}

/**
 * A client that stops sending would keep the import (its lock and connection) forever. Time spent
 * paused by this side's own flow control is not the client's stall, so it does not count.
 * The reader in the thread must not stall either: while it holds bytes it has not taken in, or
 * the whole file, and says nothing for as long, it is stuck (a bug, or a workbook whose shared
 * strings take that long), and the import fails instead of holding the lock forever.
 */
function watchForStalls(input: Readable, worker: Worker, exchange: ThreadExchange, stallTimeoutMs: number): NodeJS.Timeout {
  let lastInput = Date.now();
  let online = false;
  worker.once('online', () => {
    online = true;
    exchange.lastFromWorker = Date.now();
  });
  const stallCheck = setInterval(() => {
    const now = Date.now();
    // Counted from the thread's start: loading it on a busy machine is not a stall.
    const waitingOnReader = online && (exchange.inputWindowFull() || (input.readableEnded && !exchange.finished));
    if (waitingOnReader && now - exchange.lastFromWorker > stallTimeoutMs) {
      exchange.fail(new ImportFileError('READER_STALLED', `The file's reader made no progress for ${Math.round(stallTimeoutMs / 1000)} s; the import was stopped and nothing was saved. Save the sheet as CSV and import that`));
    }
    if (input.isPaused() || input.readableEnded) lastInput = now;
    else if (now - lastInput > stallTimeoutMs) {
      exchange.fail(new ImportFileError('STALLED_UPLOAD', `No bytes of the file arrived for ${Math.round(stallTimeoutMs / 1000)} s; the import was stopped and nothing was saved`));
    }
  }, Math.min(1000, Math.max(50, stallTimeoutMs / 4)));
  stallCheck.unref();
  input.on('data', () => {
    lastInput = Date.now();
  });
  return stallCheck;
}

/** Hands the upload's bytes to the thread as they arrive, within the input window. */
function feedUpload(input: Readable, worker: Worker, exchange: ThreadExchange): void {
  input.on('data', (data: Buffer | string) => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    exchange.posted += chunk.length;
    worker.postMessage({ type: 'data', bytes: chunk });
    exchange.flow();
  });
  // The format was read off the stream's start, which left it paused.
  input.resume();
  input.on('end', () => worker.postMessage({ type: 'end' }));
  // An empty upload may have ended while its format was read.
  if (input.readableEnded) worker.postMessage({ type: 'end' });
  input.on('error', (error) => exchange.fail(error));
}

/** Records what the thread says: chunks, progress, acknowledged bytes, the end, or how it failed. */
function collectMessages(worker: Worker, exchange: ThreadExchange): void {
  worker.on('message', (message: FromParser) => {
    exchange.lastFromWorker = Date.now();
    switch (message.type) {
      case 'rows':
        exchange.ready.push(message.chunk);
        for (const [key, name] of message.newCategories) exchange.names.set(key, name);
        exchange.parsed = message.bytesRead;
        exchange.rowsRead = message.rowsRead;
        break;
      case 'consumed':
        exchange.consumed += message.bytes;
        break;
      case 'progress':
        exchange.parsed = message.bytesRead;
        exchange.rowsRead = message.rowsRead;
        break;
      case 'done':
        exchange.counts = message.counts;
        for (const [key, name] of message.toCreate) exchange.names.set(key, name);
        exchange.parsed = message.bytesRead;
        exchange.finished = true;
        break;
      case 'error':
        exchange.fail(message.reason ? new ImportFileError(message.reason as ImportFileFailure, message.message, message.details as Record<string, unknown>) : new Error(message.message));
        break;
    }
    exchange.flow();
    exchange.notify();
  });
  worker.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return exchange.fail(error);
    exchange.fail(new ImportFileError('TOO_LARGE', 'The file holds more distinct text than the importer keeps in memory at once; nothing was imported. Save it as CSV and import that'));
  });
  worker.on('exit', (code) => {
    if (!exchange.finished) exchange.fail(new Error(`the CSV parser stopped unexpectedly (exit code ${code})`));
  });
}

/** The chunks in file order as the loader takes them; each taken lets the thread send another. */
async function* takeChunks(worker: Worker, exchange: ThreadExchange): AsyncGenerator<PreparedChunk> {
  for (;;) {
    if (exchange.failure) throw exchange.failure;
    const next = exchange.ready.shift();
    if (next) {
      worker.postMessage({ type: 'taken' });
      exchange.flow();
      yield next;
      continue;
    }
    if (exchange.finished) return;
    await exchange.nextNews();
  }
}
