import { SingleBar } from 'cli-progress';
import type { ImportProgress } from '../src/imports/pipeline/import-csv.js';

export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 2000;

/**
 * A bar with percent of bytes and rows/s on a terminal; a plain line every two seconds otherwise
 * (CI logs, pipes), so that nobody watches a silent import wondering if it is stuck. Both on stderr:
 * stdout carries the report.
 */
export function createProgressDisplay(totalBytes: number): ProgressDisplay {
  const started = performance.now();
  const rate = (rows: number) => Math.round(rows / Math.max((performance.now() - started) / 1000, 0.001));

  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: 'Importing [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {eta_formatted} left',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      etaBuffer: 50,
    });
    bar.start(Math.max(totalBytes, 1), 0, { rows: 0, rate: 0 });
    let stopped = false;
    return {
      update: (progress) => bar.update(progress.bytesRead, { rows: progress.rowsRead.toLocaleString('en'), rate: rate(progress.rowsRead).toLocaleString('en') }),
      stop: () => {
        if (!stopped) bar.stop();
        stopped = true;
      },
    };
  }

  let lastPrinted = 0;
  return {
    update: (progress) => {
      const now = performance.now();
      if (now - lastPrinted < PLAIN_INTERVAL_MS) return;
      lastPrinted = now;
      const percent = totalBytes > 0 ? ((progress.bytesRead / totalBytes) * 100).toFixed(1) : '?';
      console.error(`importing: ${percent}% of bytes, ${progress.rowsRead} rows, ${rate(progress.rowsRead)} rows/s`);
    },
    stop: () => {},
  };
}
