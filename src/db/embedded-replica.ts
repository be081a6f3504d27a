import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort, startEmbeddedPostgres } from './embedded-postgres.js';

export interface EmbeddedStandby {
  url: string;
  /** Stops its server (fast shutdown), as a replica that crashed or is in maintenance. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it, drops its slot on the primary (which would otherwise keep WAL forever) and deletes its data. */
  remove(): Promise<void>;
}

export interface EmbeddedStandbyOptions {
  /** A running primary, reachable as its superuser (an embedded one's URL is). */
  primaryUrl: string;
  /** That primary's data folder. */
  primaryClusterDir: string;
  /** Where the standby's copy goes (replaced if present). */
  standbyDir: string;
  slot?: string;
  log?: (message: string) => void;
}

const LOOPBACK_ONLY = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
/** The copy is disposable (tests, benchmarks): it trades durability for speed. */
const THROWAWAY = ['-c', 'fsync=off', '-c', 'synchronous_commit=off'];
/** Not part of a base backup (PostgreSQL's own list): runtime state, and WAL the standby streams instead. */
const EMPTIED_IN_COPY = ['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans'];
const DROPPED_FROM_COPY = ['postmaster.pid', 'postmaster.opts'];

/**
 * A streaming replica of a running embedded PostgreSQL, made with the binaries embedded-postgres
 * ships (initdb, pg_ctl, postgres — no pg_basebackup): PostgreSQL's low-level base backup. A
 * physical slot that reserves WAL at once, pg_backup_start(), a copy of the data folder,
 * pg_backup_stop()'s backup_label; then standby.signal, primary_conninfo and primary_slot_name,
 * and the standby streams from the backup's start. The primary keeps running throughout.
 * As root, it runs as the `postgres` user that owns the copy (PostgreSQL refuses root).
 */
export async function startEmbeddedStandby(options: EmbeddedStandbyOptions): Promise<EmbeddedStandby> {
  const slot = options.slot ?? 'replica_1';
  const standbyDir = path.resolve(options.standbyDir);
  const primary = new URL(options.primaryUrl);
  const owner = userInfo().uid === 0 ? postgresUserIds() : undefined;

  await withClient(options.primaryUrl, async (client) => {
    // A slot left by an earlier run that was killed would hold WAL from then on: start afresh.
    await client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [slot]);
    await client.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await client.query("SELECT pg_backup_start('embedded standby', true)");
    await rm(standbyDir, { recursive: true, force: true });
    await mkdir(path.dirname(standbyDir), { recursive: true });
    // cp -a keeps the owner (the postgres user, as root) and the 0700 mode PostgreSQL insists on.
    await promisify(execFile)('cp', ['-a', path.resolve(options.primaryClusterDir), standbyDir]);
    const { rows } = await client.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
    await writeOwned(path.join(standbyDir, 'backup_label'), rows[0]!.labelfile, owner);
  });
  for (const folder of EMPTIED_IN_COPY) await emptyFolder(path.join(standbyDir, folder));
  for (const file of DROPPED_FROM_COPY) await rm(path.join(standbyDir, file), { force: true });
  await writeOwned(path.join(standbyDir, 'standby.signal'), '', owner);
  const conninfo = `host=127.0.0.1 port=${primary.port} user=${decodeURIComponent(primary.username)} password=${decodeURIComponent(primary.password)} application_name=${slot}`;
  await appendFile(path.join(standbyDir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo}'\nprimary_slot_name = '${slot}'\n`);

  const port = await findFreePort();
  const url = new URL(options.primaryUrl);
  url.port = String(port);
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  let server: ChildProcess | undefined;
  // A standby left running would outlive a run that was killed.
  const killOnExit = () => server?.kill('SIGINT');
  process.once('exit', killOnExit);

  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      // SIGINT: PostgreSQL's fast shutdown (connections are cut, as when a machine is taken out).
      running.kill('SIGINT');
    });
  };
  const start = async () => {
    server = await runStandby(binaries.postgres, standbyDir, port, owner, options.log);
  };
  await start();
  return {
    url: url.toString(),
    stop,
    start,
    remove: async () => {
      process.off('exit', killOnExit);
      await stop();
      await withClient(options.primaryUrl, (client) => client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot])).catch(() => {});
      await rm(standbyDir, { recursive: true, force: true });
    },
  };
}

export interface ReplicatedPostgres {
  primaryUrl: string;
  replicaUrl: string;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Stops both servers and deletes their data. */
  stop(): Promise<void>;
}

/** A throwaway embedded primary (as the test suite's) with one streaming replica, in `dataDir`. */
export async function startReplicatedPostgres(options: { dataDir: string; log?: (message: string) => void }): Promise<ReplicatedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // The `postgres` user must be able to pass through the folder to reach the clusters it owns.
  if (userInfo().uid === 0) await chmod(dataDir, 0o711);
  const primaryDir = path.join(dataDir, 'primary');
  const primary = await startEmbeddedPostgres({ dataDir: primaryDir, persistent: false, log: options.log });
  const standby = await startEmbeddedStandby({
    primaryUrl: primary.url,
    primaryClusterDir: path.join(primaryDir, 'pg'),
    standbyDir: path.join(dataDir, 'replica'),
    log: options.log,
  });
  return {
    primaryUrl: primary.url,
    replicaUrl: standby.url,
    stopReplica: standby.stop,
    startReplica: standby.start,
    stop: async () => {
      await standby.remove();
      await primary.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function writeOwned(file: string, content: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  await writeFile(file, content);
  if (owner) await chown(file, owner.uid, owner.gid);
}

async function emptyFolder(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => []);
  // pg_wal/archive_status is a folder PostgreSQL expects to find.
  for (const entry of entries) if (entry !== 'archive_status') await rm(path.join(folder, entry), { recursive: true, force: true });
}

/** The standby's server; ready when it says it accepts read-only connections (a primary's wording differs). */
function runStandby(
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
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      // Read for as long as it runs (a full pipe would stop the server); the tail explains an early exit.
      output = (output + text).slice(-2000);
      if (text.includes('ready to accept read-only connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the standby's postgres exited (${code}): ${output}`)));
    child.once('spawn', () => log?.(`standby starting on port ${port}`));
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
