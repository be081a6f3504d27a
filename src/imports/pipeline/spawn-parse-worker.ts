import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ParseWorkerData } from './parse-worker-protocol.js';

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

/** The thread that runs parse-worker.ts, on a bounded heap. */
export async function spawnParseWorker(workerData: ParseWorkerData): Promise<Worker> {
  // The parser holds at most a chunk or two: a bounded heap keeps the import's memory flat. A
  // workbook's shared strings (every distinct text cell, packed, by index) need more room: ~35 MB
  // for a million numbers stored as text (the XML is capped at 96 MB, see workbook-parts).
  const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: workerData.format === 'xlsx' ? 128 : 64 };
  return new Worker(await workerEntry(), { workerData, resourceLimits });
}
