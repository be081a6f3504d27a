import { execFileSync } from 'node:child_process';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { timeUntil } from '../helpers/time-until.js';

/**
 * WEB_CONCURRENCY=2: one primary, two API workers on one port (node:cluster), each with its own
 * lookup cache. Every request here goes on a new connection, so the cluster spreads them over both.
 */
let db: TestDatabase;
let server: ServerProcess;
let headers: Record<string, string>;

const fresh = () => new Agent({ pipelining: 0, keepAliveTimeout: 1 });

async function call(path: string, init: { method?: string; json?: unknown } = {}) {
  const dispatcher = fresh();
  try {
    const response = await fetch(`${server.base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      // @ts-expect-error undici's dispatcher option is not in the DOM RequestInit type
      dispatcher,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } finally {
    await dispatcher.close();
  }
}

/** The primary's children that run the server (tsx may have an esbuild service child too). */
const workerPids = (): number[] =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(server.child.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('src/index.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => pid > 0);

// call() takes any path on a fresh connection (so the workers alternate): its bodies are untyped records.
const workersUp = async () => ((await call('/health')).body.workers as { up: number; configured: number }).up;

beforeAll(async () => {
  db = await createTestDatabase();
  const admin = await createApiKey({ sequelize: db.sequelize, defaultRegion: 'ID' }, { name: 'cluster', role: 'admin' });
  headers = { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' };
  server = await startServerProcess({ DATABASE_URL: db.url, WEB_CONCURRENCY: '2' });
  await timeUntil(async () => (await workersUp()) === 2, 30_000);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe('WEB_CONCURRENCY=2', () => {
  it('when it starts, then two workers share one port and /health says so', async () => {
    expect(workerPids()).toHaveLength(2);
    expect((await call('/health')).body).toMatchObject({ status: 'ok', workers: { up: 2, configured: 2 } });
  });

  it('when a number is moved through one worker, then every worker answers the new category within 1 s', async () => {
    const from = (await call('/v1/categories', { method: 'POST', json: { name: 'Cluster: from' } })).body;
    const to = (await call('/v1/categories', { method: 'POST', json: { name: 'Cluster: to' } })).body;
    const filed = (await call('/v1/phone-numbers', { method: 'POST', json: { number: '0812-7700-1212', category_id: from.id } })).body;
    const lookup = async () => ((await call('/v1/lookup/6281277001212%40s.whatsapp.net')).body.category as { name: string }).name;
    // Both workers have it cached: connections alternate between them.
    for (let i = 0; i < 6; i += 1) expect(await lookup()).toBe('Cluster: from');

    expect((await call(`/v1/phone-numbers/${filed.id}`, { method: 'PATCH', json: { category_id: to.id } })).status).toBe(200);
    const sixAgree = async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, lookup));
      return answers.every((name) => name === 'Cluster: to');
    };
    expect(await timeUntil(sixAgree)).toBeLessThan(1000);
  });

  it('when a worker is killed, then another takes its place and /health counts two again', async () => {
    const before = workerPids();
    process.kill(before[0]!, 'SIGKILL');
    await timeUntil(async () => {
      const now = workerPids();
      return now.length === 2 && !now.includes(before[0]!);
    }, 20_000);
    await timeUntil(async () => (await workersUp()) === 2, 20_000);
    expect((await call('/v1/categories')).status).toBe(200);
  });

  it('when SIGTERM arrives during a request, then the request is answered, the workers and the primary exit 0', async () => {
    const pids = workerPids();
    // An upload still sending when the signal comes: its import must complete, not be cut off.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('phone,category\n'));
        await new Promise((resolve) => setTimeout(resolve, 300));
        server.child.kill('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 700));
        controller.enqueue(new TextEncoder().encode('081277009999,Lead\n'));
        controller.close();
      },
    });
    const response = await fetch(`${server.base}/v1/imports?create_categories=true`, {
      method: 'POST',
      headers: { authorization: headers.authorization!, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'completed', inserted: 1 });
    expect(await server.stop()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`${server.base}/health`)).rejects.toThrow();
  });
});
