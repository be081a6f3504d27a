import { spawn, type ChildProcess } from 'node:child_process';
import { openAsBlob, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateImportFile, type GroundTruth } from '../../bench/import/generate.js';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const root = path.resolve(import.meta.dirname, '../..');
let db: TestDatabase;
let dir: string;
let server: ChildProcess;
let base: string;
let authorization: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resident memory of the server process now and at its peak so far (Linux). */
function memoryMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function upload(file: string, truth: GroundTruth, form: 'multipart' | 'csv') {
  let response: Response;
  if (form === 'multipart') {
    const body = new FormData();
    body.append('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
    response = await fetch(`${base}/v1/imports`, { method: 'POST', headers: { authorization }, body });
  } else {
    response = await fetch(`${base}/v1/imports`, { method: 'POST', headers: { authorization, 'content-type': 'text/csv' }, body: await openAsBlob(file) });
  }
  expect(response.status).toBe(201);
  expect(await response.json()).toMatchObject({ rows_total: truth.rows, inserted: truth.distinct_valid, invalid: truth.invalid });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const staff = await createApiKey({ sequelize: db.sequelize, defaultRegion: 'ID' }, { name: 'uploader', role: 'staff' });
  authorization = `Bearer ${staff.key}`;
  dir = await mkdtemp(path.join(tmpdir(), 'wa-upload-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Exactly as `npm start` runs it (its heap limit included).
  const [, ...args] = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  server = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}, 60_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('uploading a million rows', () => {
  it('when 100k and then 1M rows are uploaded, then both are imported and the server memory stays flat', async () => {
    const small = path.join(dir, 'small.csv');
    const smallTruth = await generateImportFile(small, 100_000, 1);
    await upload(small, smallTruth, 'csv');
    const afterSmall = memoryMb(server.pid!).peak;

    await db.sequelize.query('TRUNCATE phone_numbers');
    const big = path.join(dir, 'big.csv');
    const bigTruth = await generateImportFile(big, 1_000_000, 2);
    await upload(big, bigTruth, 'multipart');
    const afterBig = memoryMb(server.pid!).peak;

    // Ten times the rows (34 MB of CSV) may not cost the server more than a few chunks' worth.
    expect(afterBig - afterSmall).toBeLessThan(60);
    expect(afterBig).toBeLessThan(400);
  }, 180_000);
});
