import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, child: ChildProcess, output: () => string): Promise<Response> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    try {
      return await fetch(`${base}/health`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`server did not answer in time:\n${output()}`);
}

describe('npm start with no DATABASE_URL', () => {
  let dataDir: string;
  let child: ChildProcess;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when started, then it runs its own PostgreSQL, migrated and seeded, and stops it on SIGTERM', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-categories-start-'));
    const port = await freePort();
    const { DATABASE_URL: _ignored, ...env } = process.env;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: root,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));

    const base = `http://127.0.0.1:${port}`;
    const health = await waitForHealth(base, child, () => output);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up' });

    // The first start made an admin key and printed it once.
    const key = /^\s+(wak_[0-9a-f]{8}_\S+)$/m.exec(output)?.[1];
    expect(key, output).toBeDefined();
    expect((await fetch(`${base}/v1/categories`)).status).toBe(401);
    const categories = (await (await fetch(`${base}/v1/categories`, { headers: { authorization: `Bearer ${key}` } })).json()) as Array<{ name: string }>;
    expect(categories.map((category) => category.name)).toEqual(['Pelanggan VIP', 'Pelanggan VIP 2', 'Pelanggan Regular', 'Prospek', 'Lead']);

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The database went down with the server: nothing holds the cluster's lock file.
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);
});
