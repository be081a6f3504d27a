import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { bodyOf, serverClient } from '../helpers/typed-client.js';

describe('npm start with no DATABASE_URL', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when started, then it runs its own PostgreSQL, migrated and seeded, and stops it on SIGTERM', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-categories-start-'));
    // No DATABASE_URL at all: the server must start its own PostgreSQL.
    server = await startServerProcess({ DATABASE_URL: undefined, DATA_DIR: dataDir });
    const { base, output } = server;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', lookup_cache: 'live', workers: { up: 1, configured: 1 }, read_replicas: [] });

    // The first start made an admin key and printed it once.
    const key = /^\s+(wak_[0-9a-f]{8}_\S+)$/m.exec(output())?.[1];
    expect(key, output()).toBeDefined();
    expect((await fetch(`${base}/v1/categories`)).status).toBe(401);
    const categories = await bodyOf(serverClient(base, { authorization: `Bearer ${key}` }).v1.categories.$get(), 200);
    expect(categories.map((category) => category.name)).toEqual(['Pelanggan VIP', 'Pelanggan VIP 2', 'Pelanggan Regular', 'Prospek', 'Lead']);

    expect(await server.stop()).toBe(0);
    // The database went down with the server: nothing holds the cluster's lock file.
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);
});
