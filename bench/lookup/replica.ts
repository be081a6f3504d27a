import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { startEmbeddedStandby } from '../../src/db/embedded-replica.js';
import { runLoad, type LoadOptions, type LoadResult } from './load-generator.js';

export interface ReplicaBenchOptions {
  /** The loaded database on the embedded primary. */
  databaseUrl: string;
  primaryClusterDir: string;
  standbyDir: string;
  /** The primary-only API (WEB_CONCURRENCY=1) the replica run is compared with, round by round. */
  api: Omit<LoadOptions, 'durationMs'>;
  startApi(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess>;
  port: number;
  rounds: number;
  durationMs: number;
  load(options: LoadOptions): Promise<LoadResult>;
}

export interface ReplicaBenchResult {
  rounds: Array<{ primary: LoadResult; replica: LoadResult }>;
  /** Index scans of phone_numbers on the replica during the replica rounds, by its own statistics. */
  replicaScans: number;
  /** The replica's catch-up time after the base backup, before its first use. */
  catchUpMs: number;
}

/**
 * The same lookups against one API process reading from a streaming replica of the loaded database
 * (DATABASE_READ_URLS), alternated with the primary-only process. On this machine the replica
 * shares the two cores with the primary, the server and wrk: what it shows is the routing's cost and
 * that the replica takes the reads, not the capacity a replica on its own machine adds.
 */
export async function benchReplica(options: ReplicaBenchOptions): Promise<ReplicaBenchResult> {
  const primaryServer = new URL(options.databaseUrl);
  primaryServer.pathname = '/postgres';
  const standby = await startEmbeddedStandby({ primaryUrl: primaryServer.toString(), primaryClusterDir: options.primaryClusterDir, standbyDir: options.standbyDir });
  let api: ChildProcess | undefined;
  try {
    const replicaUrl = new URL(options.databaseUrl);
    replicaUrl.port = new URL(standby.url).port;
    api = await options.startApi({ DATABASE_READ_URLS: replicaUrl.toString(), WEB_CONCURRENCY: '1' }, options.port);
    const base = `http://127.0.0.1:${options.port}`;
    const started = performance.now();
    for (;;) {
      const health = (await (await fetch(`${base}/health`)).json()) as { read_replicas: Array<{ in_use: boolean }> };
      if (health.read_replicas[0]?.in_use) break;
      if (performance.now() - started > 120_000) throw new Error('the replica was not in use within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const catchUpMs = performance.now() - started;
    const viaReplica = { ...options.api, base };
    const warmUp = await runLoad({ ...viaReplica, durationMs: 3000 });
    if (warmUp.errors > 0) throw new Error(`${warmUp.errors} lookups answered wrongly in the warm-up with a replica`);

    const scansBefore = await phoneNumberScans(replicaUrl.toString());
    const rounds: ReplicaBenchResult['rounds'] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const primary = await options.load({ ...options.api, durationMs: options.durationMs });
      const replica = await options.load({ ...viaReplica, durationMs: options.durationMs });
      rounds.push({ primary, replica });
      console.log(
        `replica round ${round + 1}/${options.rounds}: primary only ${Math.round(primary.rps)} req/s p99 ${primary.p99Ms.toFixed(2)} ms | ` +
          `primary + replica ${Math.round(replica.rps)} req/s p99 ${replica.p99Ms.toFixed(2)} ms errors ${replica.errors}`,
      );
    }
    // A backend adds its counts to the statistics when idle, within about a second (busy, up to 10 s).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return { rounds, replicaScans: (await phoneNumberScans(replicaUrl.toString())) - scansBefore, catchUpMs };
  } finally {
    api?.kill('SIGTERM');
    await standby.remove();
  }
}

async function phoneNumberScans(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ scans: string }>("SELECT coalesce(idx_scan, 0) + coalesce(seq_scan, 0) AS scans FROM pg_stat_user_tables WHERE relname = 'phone_numbers'");
    return Number(rows[0]?.scans ?? 0);
  } finally {
    await client.end();
  }
}
