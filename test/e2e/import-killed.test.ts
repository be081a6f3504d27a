import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateImportFile, type GroundTruth } from '../../bench/import/generate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const root = path.resolve(import.meta.dirname, '../..');
let db: TestDatabase;
let dir: string;
let file: string;
let truth: GroundTruth;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'wa-killed-'));
  file = path.join(dir, 'big.csv');
  truth = await generateImportFile(file, 300_000, 11);
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function scalar(sql: string): Promise<number> {
  const [rows] = await db.sequelize.query(sql);
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

function runImport(extraArgs: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', file, '--json', ...extraArgs], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('npm run import, killed half-way', () => {
  it('when the process is SIGKILLed mid-import, then nothing it read is filed, and the re-run completes', async () => {
    const before = await scalar('SELECT count(*) AS n FROM phone_numbers');
    const run = runImport();
    // Wait until the import has filed at least one chunk inside its transaction, then kill it.
    const deadline = Date.now() + 60_000;
    while ((await scalar("SELECT coalesce(max(rows_total), 0) AS n FROM imports WHERE status = 'running'")) < 50_000) {
      if (Date.now() > deadline) throw new Error(`import never got going: ${JSON.stringify(run.output())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    run.child.kill('SIGKILL');
    await run.exited;

    // The import's connection dies with it and PostgreSQL rolls its transaction back.
    const settled = Date.now() + 10_000;
    while ((await scalar("SELECT count(*) AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' OR query LIKE 'COPY%'")) > 0) {
      if (Date.now() > settled) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await scalar('SELECT count(*) AS n FROM phone_numbers')).toBe(before);

    // Its report is closed as interrupted once its heartbeat is stale.
    await db.sequelize.query("UPDATE imports SET heartbeat_at = now() - interval '5 minutes' WHERE status = 'running'");

    const rerun = runImport();
    expect(await rerun.exited).toBe(0);
    const report = JSON.parse(rerun.output().stdout) as { inserted: number; duplicates_in_file: number; invalid: number };
    expect(report).toMatchObject({ inserted: truth.distinct_valid, duplicates_in_file: truth.duplicates_in_file, invalid: truth.invalid });
    expect(await scalar("SELECT count(*) AS n FROM imports WHERE status = 'failed' AND failure_reason = 'INTERRUPTED'")).toBe(1);
  }, 120_000);
});
