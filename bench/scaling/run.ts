import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchDatabase } from '../bench-database.js';
import { npmScript, runToEnd } from '../child-process.js';
import { treeCpuSeconds } from '../proc-cpu.js';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import { migrateAndSeed } from '../../src/db/migrator.js';
import { LookupCache } from '../../src/lookup/lookup-cache.js';
import { generateImportFile, nationalNumber } from '../import/generate.js';
import { hasWrk, runWrk } from '../lookup/wrk-load.js';

/**
 * npm run bench:scaling [-- --numbers 1000000 --seconds 10]
 *
 * The figures docs/SCALING.md plans with, measured on this machine in one run:
 *   - import rows/s (npm run import of a generated 20-column export);
 *   - the number table's and each of its indexes' size, per million numbers;
 *   - the lookup cache's heap per 100,000 entries (real rows, as the database returns them);
 *   - CPU per lookup, from /proc: of the API process and of PostgreSQL's processes, with every
 *     lookup read from the database (LOOKUP_CACHE_SIZE=0), with every lookup a cache hit, and with
 *     the same hot numbers and the cache off.
 * CPU per request, unlike req/s, does not depend on wrk and PostgreSQL sharing the two cores.
 */
const { values } = parseArgs({
  options: {
    numbers: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
  },
});
const numbers = Number(values.numbers);
const durationMs = Number(values.seconds) * 1000;
const connections = Number(values.connections);
const root = path.resolve(import.meta.dirname, '../..');
const work = path.join(root, 'bench/.out', `scaling-${numbers}`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:scaling does)');
if (!hasWrk()) throw new Error('wrk is needed: apt-get install wrk');
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });



async function startApi(env: NodeJS.ProcessEnv, port: number, label: string): Promise<ChildProcess> {
  const start = npmScript('start');
  const log = openSync(path.join(work, `${label}.log`), 'w');
  const child = spawn(start.command, start.args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_CONCURRENCY: '1' }, stdio: ['ignore', log, log] });
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${label} exited; see ${work}/${label}.log`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${label} did not start`);
}

console.log(`bench:scaling — ${numbers.toLocaleString('en')} numbers, ${new Date().toISOString()}`);
const database = await startBenchDatabase({ dataDir: path.join(work, 'db'), persistent: true, name: 'bench_scaling' });
const postmasterPid = Number(readFileSync(path.join(work, 'db', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const databaseUrl = database.url;
const sequelize = database.sequelize;
const children: ChildProcess[] = [];
const report: Record<string, unknown> = { numbers };

try {
  await migrateAndSeed(sequelize);
  const file = path.join(work, 'contacts.csv');
  const truth = await generateImportFile(file, Math.ceil(numbers / 0.899), 7);
  const importer = npmScript('import');
  const importStarted = performance.now();
  const imported = JSON.parse(await runToEnd(importer.command, [...importer.args, file, '--json'], { DATABASE_URL: databaseUrl })) as { inserted: number; rows?: number };
  const importSeconds = (performance.now() - importStarted) / 1000;
  await rm(file);
  report.import = { inserted: imported.inserted, seconds: importSeconds, rowsPerSecond: truth.rows / importSeconds, filedPerSecond: imported.inserted / importSeconds };
  console.log(`import: ${truth.rows.toLocaleString('en')} rows (${imported.inserted.toLocaleString('en')} filed) in ${importSeconds.toFixed(1)} s = ${Math.round(truth.rows / importSeconds).toLocaleString('en')} rows/s (npm run import, whole command)`);
  await sequelize.query('VACUUM ANALYZE');

  // Sizes: the table (heap + TOAST) and each index, scaled to a million numbers.
  const sizes = (await sequelize.query(
    `SELECT 'table phone_numbers (heap + TOAST)' AS name, pg_table_size('phone_numbers') AS bytes
     UNION ALL SELECT 'index ' || indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index WHERE indrelid = 'phone_numbers'::regclass
     UNION ALL SELECT 'total phone_numbers (table + indexes)', pg_total_relation_size('phone_numbers')`,
    { type: 'SELECT' },
  )) as Array<{ name: string; bytes: number }>;
  const perMillion = (bytes: number) => (bytes * 1e6) / imported.inserted / 2 ** 20;
  for (const size of sizes) console.log(`size: ${size.name.padEnd(52)} ${(size.bytes / 2 ** 20).toFixed(1).padStart(8)} MB  = ${perMillion(size.bytes).toFixed(1).padStart(7)} MB per million numbers`);
  report.sizes = sizes.map((size) => ({ ...size, mbPerMillion: perMillion(size.bytes) }));

  // The cache's heap per 100k entries, filled with rows as the database returns them (each its own strings).
  const entries = Math.min(100_000, imported.inserted);
  const cache = new LookupCache({ databaseUrl, maxEntries: entries });
  await cache.start();
  const readRows = async (limit: number) =>
    (await sequelize.query(
      `SELECT p.id, p.normalized_number, p.category_id, c.name AS category_name, p.name FROM phone_numbers p JOIN categories c ON c.id = p.category_id LIMIT ${limit}`,
      { type: 'SELECT' },
    )) as Array<{ id: number; normalized_number: string; category_id: number; category_name: string; name: string | null }>;
  await readRows(1);
  gc();
  // Before the rows are read: everything the cache ends up holding (its map, the filings, their strings) counts.
  const heapBefore = process.memoryUsage().heapUsed;
  let filings = await readRows(entries);
  for (const row of filings) cache.set(row.normalized_number, { id: row.id, category_id: row.category_id, category_name: row.category_name, name: row.name }, cache.snapshot());
  filings = [];
  gc();
  const cacheBytes = process.memoryUsage().heapUsed - heapBefore;
  const cached = cache.size;
  await cache.close();
  if (cached !== entries) throw new Error(`the cache took ${cached} of ${entries} entries`);
  report.cache = { entries, bytesPer100k: (cacheBytes * 100_000) / entries };
  console.log(`cache: ${entries.toLocaleString('en')} entries hold ${((cacheBytes * 100_000) / entries / 2 ** 20).toFixed(1)} MB of heap per 100,000 entries (map, filings and their strings)`);

  const bot = await createApiKey({ sequelize, defaultRegion: 'ID' }, { name: 'bench bot', role: 'bot' });
  const headers = { authorization: `Bearer ${bot.key}` };
  let seed = 42;
  const randomIndex = (below: number) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed % below;
  };
  const lookupOf = (index: number) => ({ path: `/v1/lookup/62${nationalNumber(index)}%40s.whatsapp.net`, expect: index < truth.distinct_valid ? 200 : 404 });
  const env = { DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: '100000000' };

  /** One wrk run against a fresh API process: req/s, p99, CPU per request of the API and of PostgreSQL. */
  const measure = async (label: string, apiEnv: NodeJS.ProcessEnv, next: () => { path: string; expect: number }) => {
    const port = 40_000 + Math.floor(Math.random() * 1000);
    const api = await startApi({ ...env, ...apiEnv }, port, label);
    children.push(api);
    const base = `http://127.0.0.1:${port}`;
    await runWrk({ base, connections, headers, next, durationMs: 3000 });
    const apiBefore = treeCpuSeconds(api.pid!);
    const dbBefore = treeCpuSeconds(postmasterPid);
    const result = await runWrk({ base, connections, headers, next, durationMs });
    const apiCpu = treeCpuSeconds(api.pid!) - apiBefore;
    const dbCpu = treeCpuSeconds(postmasterPid) - dbBefore;
    api.kill('SIGTERM');
    const figures = {
      rps: result.rps,
      p99Ms: result.p99Ms,
      errors: result.errors,
      apiCpuUsPerRequest: (apiCpu * 1e6) / result.requests,
      dbCpuUsPerRequest: (dbCpu * 1e6) / result.requests,
    };
    console.log(
      `lookup, ${label}: ${Math.round(result.rps)} req/s, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}; ` +
        `CPU per lookup: API ${figures.apiCpuUsPerRequest.toFixed(0)} µs, PostgreSQL ${figures.dbCpuUsPerRequest.toFixed(0)} µs`,
    );
    return figures;
  };
  // Half filed, half never filed, over the whole set: with the cache off every one reads the database.
  report.lookupMiss = await measure('every lookup read from the database (LOOKUP_CACHE_SIZE=0)', { LOOKUP_CACHE_SIZE: '0' }, () =>
    lookupOf(randomIndex(2) === 0 ? randomIndex(truth.distinct_valid) : truth.distinct_valid + randomIndex(numbers)),
  );
  // 10,000 numbers the warm-up puts in the cache: every measured lookup is a hit.
  report.lookupHit = await measure('every lookup a cache hit (10,000 hot numbers)', {}, () => lookupOf(randomIndex(10_000)));
  // The same 10,000 with the cache off: what the cache saves on the same requests.
  report.lookupHotUncached = await measure('the same 10,000 numbers, cache off', { LOOKUP_CACHE_SIZE: '0' }, () => lookupOf(randomIndex(10_000)));

  await writeFile(path.join(root, 'bench/.out', `scaling-${numbers}.json`), JSON.stringify(report, null, 2));
  console.log(`\nwritten: bench/.out/scaling-${numbers}.json`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await database.close();
  await rm(path.join(work, 'db'), { recursive: true, force: true });
}
