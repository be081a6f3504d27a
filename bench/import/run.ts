import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrateAndSeed } from '../../src/db/migrator.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { CATEGORIES, generateImportFile } from './generate.js';
import { generateWorkbook } from './generate-workbook.js';

/**
 * npm run bench:import [-- --rows 1000000] [--skip-sequelize]
 *
 * One run, one PostgreSQL, three fresh copies of the same migrated schema:
 *   (a) this importer, run exactly as `npm run import` runs it;
 *   (b) the common Sequelize way: csv-parse + bulkCreate({ ignoreDuplicates }), 1000 rows a batch;
 *   (c) the floor: psql \copy of the already normalized, de-duplicated rows into the same schema.
 * Then (a) again on the same data: a re-import must insert nothing. Then the shapes staff bring:
 *   (w) the same rows as a wide CRM export (20 columns, ~250 bytes a row);
 *   (x) the same rows as an .xlsx workbook;
 *   (r) the revert of the first (a) import (POST /v1/imports/{id}/revert's verb).
 */
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '3' },
    'skip-sequelize': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
// The machines are noisy: (a) and (c) run alternately this many times and the median counts.
const repeat = Math.max(1, Number(values.repeat));
const root = path.resolve(import.meta.dirname, '../..');
const work = path.join(root, 'bench/.out', `import-${rows}`);
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });

interface Measured {
  ms: number;
  peakRssMb: number | null;
  stdout: string;
}

/** Runs a command to completion, with its wall time and its peak resident memory (Linux VmHWM). */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb: number | null = null;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+)/.exec(status);
        if (hwm) peakKb = Math.max(peakKb ?? 0, Number(hwm[1]));
      } catch {
        // Not Linux, or the process just ended.
      }
    }, 25);
    child.on('exit', (code) => {
      clearInterval(sampler);
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr}`));
      else resolve({ ms, peakRssMb: peakKb === null ? null : Math.round(peakKb / 1024), stdout });
    });
  });
}

function importerCommand(): { command: string; args: string[] } {
  // The npm script itself, so the benchmark measures exactly what staff run.
  const script = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.import!;
  const [program, ...args] = script.split(/\s+/);
  return { command: program === 'node' ? process.execPath : program!, args };
}

console.log(`bench:import — ${rows.toLocaleString('en')} rows, ${new Date().toISOString()}`);
const server = await startEmbeddedPostgres({ dataDir: path.join(work, 'db'), persistent: true });
const admin = new pg.Client(server.url);
await admin.connect();
const databaseUrl = (name: string) => {
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
};

try {
  await admin.query('CREATE DATABASE bench_template');
  const template = createSequelize({ url: databaseUrl('bench_template') });
  await migrateAndSeed(template);
  const [categoryRows] = await template.query('SELECT id, name FROM categories');
  await template.close();
  const categoryIds = Object.fromEntries((categoryRows as Array<{ id: number; name: string }>).map((row) => [row.name, row.id]));
  const names = ['bench_b', 'bench_w', 'bench_x', ...Array.from({ length: repeat }, (_, i) => [`bench_a${i}`, `bench_c${i}`]).flat()];
  for (const name of names) await admin.query(`CREATE DATABASE ${name} TEMPLATE bench_template`);

  const file = path.join(work, 'contacts.csv');
  const floorFile = path.join(work, 'floor.tsv');
  const truth = await generateImportFile(file, rows, 42, { path: floorFile, categoryIds });
  console.log(`generated: ${JSON.stringify(truth)}`);
  const wideFile = path.join(work, 'contacts-wide.csv');
  const wideTruth = await generateImportFile(wideFile, rows, 42, undefined, 'wide');
  const workbookFile = path.join(work, 'contacts.xlsx');
  await generateWorkbook(file, workbookFile);
  const { size: wideBytes } = await import('node:fs/promises').then((fs) => fs.stat(wideFile));
  console.log(`generated the wide CSV (${Math.round(wideBytes / rows)} bytes a row) and the workbook`);
  if (Object.keys(categoryIds).length < CATEGORIES.length) throw new Error('reference categories missing');

  const importer = importerCommand();
  const copy = `\\copy phone_numbers (original_number, normalized_number, number_type, name, category_id) FROM '${floorFile}'`;
  const hasPsql = spawnSync('psql', ['--version']).status === 0;
  const runs: Array<{ a: Measured; c: Measured }> = [];
  for (let i = 0; i < repeat; i += 1) {
    const a = await measure(importer.command, [...importer.args, file, '--json'], { DATABASE_URL: databaseUrl(`bench_a${i}`) });
    const c = hasPsql
      ? await measure('psql', [databaseUrl(`bench_c${i}`), '-q', '-v', 'ON_ERROR_STOP=1', '-c', copy])
      : await measure(process.execPath, ['--import', 'tsx', 'bench/import/copy-floor.ts', floorFile, databaseUrl(`bench_c${i}`)]);
    console.log(`run ${i + 1}/${repeat}: (a) ${(a.ms / 1000).toFixed(2)} s, (c) ${(c.ms / 1000).toFixed(2)} s, ratio ${(a.ms / c.ms).toFixed(2)}`);
    runs.push({ a, c });
  }
  const median = (values: Measured[]) => [...values].sort((x, y) => x.ms - y.ms)[Math.floor(values.length / 2)]!;
  const a = median(runs.map((run) => run.a));
  const c = median(runs.map((run) => run.c));
  const peakA = Math.max(...runs.map((run) => run.a.peakRssMb ?? 0));
  const report = JSON.parse(runs[0]!.a.stdout) as Record<string, number>;
  const exact =
    report.rows_total === truth.rows &&
    report.inserted === truth.distinct_valid &&
    report.duplicates_in_file === truth.duplicates_in_file &&
    report.invalid === truth.invalid;
  const again = await measure(importer.command, [...importer.args, file, '--json'], { DATABASE_URL: databaseUrl('bench_a0') });
  const reimport = JSON.parse(again.stdout) as Record<string, number>;

  const wide = await measure(importer.command, [...importer.args, wideFile, '--json'], { DATABASE_URL: databaseUrl('bench_w') });
  const wideReport = JSON.parse(wide.stdout) as Record<string, number>;
  // exceljs's streaming reader can stall on a very large sheet (see README): reported, not fatal to the run.
  const xlsxRun = await measure(importer.command, [...importer.args, workbookFile, '--json'], { DATABASE_URL: databaseUrl('bench_x') }).catch((error: Error) => error);
  const xlsx = xlsxRun instanceof Error ? null : xlsxRun;
  const xlsxReport = (xlsx ? JSON.parse(xlsx.stdout) : {}) as Record<string, number>;
  const sameCounts = (other: Record<string, number>, expected = truth) =>
    other.rows_total === expected.rows && other.inserted === expected.distinct_valid && other.invalid === expected.invalid;
  // The first (a) import of bench_a0, reverted: every number it filed goes (the re-import filed none).
  const revert = await measure(process.execPath, ['--import', 'tsx', 'bench/import/revert.ts', databaseUrl('bench_a0'), String(report.id)]);
  const reverted = JSON.parse(revert.stdout) as Record<string, number>;

  const b = values['skip-sequelize']
    ? null
    : await measure(process.execPath, ['--import', 'tsx', 'bench/import/sequelize-baseline.ts', file, databaseUrl('bench_b')]);

  const floorRows = await countRows(databaseUrl('bench_c0'));

  const line = (label: string, m: Measured | null, note = '') =>
    m
      ? `${label.padEnd(44)} ${(m.ms / 1000).toFixed(2).padStart(8)} s ${Math.round(rows / (m.ms / 1000)).toLocaleString('en').padStart(10)} rows/s ${String(m.peakRssMb ?? '?').padStart(6)} MB${note}`
      : `${label.padEnd(44)} skipped`;
  console.log('');
  console.log(`${'contender'.padEnd(44)} ${'time'.padStart(10)} ${'throughput'.padStart(17)} ${'peak RSS'.padStart(9)}`);
  console.log(line(`(a) npm run import (median of ${repeat})`, a, exact ? '  counts = ground truth' : '  COUNTS DIFFER FROM GROUND TRUTH'));
  console.log(line('(a2) npm run import, same file again', again, `  inserted ${reimport.inserted}, already filed ${reimport.already_present}`));
  console.log(line('(b) Sequelize bulkCreate(ignoreDuplicates) x1000', b));
  console.log(line(`(c) floor: ${hasPsql ? 'psql \\copy' : 'COPY'} (median of ${repeat})`, c, `  ${floorRows} rows`));
  console.log(line(`(w) wide CSV, 20 columns, ${Math.round(wideBytes / rows)} B/row`, wide, sameCounts(wideReport, wideTruth) ? '  counts = ground truth' : '  COUNTS DIFFER FROM GROUND TRUTH'));
  if (xlsx) console.log(line('(x) .xlsx workbook, same rows', xlsx, sameCounts(xlsxReport) ? '  counts = ground truth' : '  COUNTS DIFFER FROM GROUND TRUTH'));
  else console.log(`${'(x) .xlsx workbook, same rows'.padEnd(44)} FAILED: ${(xlsxRun as Error).message.split('\n').find((l) => l.startsWith('Import failed')) ?? (xlsxRun as Error).message}`);
  console.log(line('(r) revert of import (a)', revert, `  removed ${reverted.removed}, restored ${reverted.restored}, kept ${reverted.kept_changed}`));
  console.log(`peak RSS of (a) over all runs: ${peakA} MB`);
  console.log('');
  if (b) console.log(`(b) / (a): ${(b.ms / a.ms).toFixed(2)}x  — the importer is this many times faster than the Sequelize way (target >= 5x)`);
  console.log(`(a) / (c): ${(a.ms / c.ms).toFixed(2)}x  — the importer's time over the floor's (target <= 1.5x, aim 1.2x)`);
  console.log(`(w) / (a): ${(wide.ms / a.ms).toFixed(2)}x  — the wide CSV's time over the narrow one's (target <= 1.5x)`);
  console.log(`(x) peak RSS: ${xlsx?.peakRssMb ?? '?'} MB (target < 300 MB at 1M rows); (r) revert: ${(revert.ms / 1000).toFixed(2)} s (target < 30 s at 1M rows)`);
  console.log(`re-import inserted ${reimport.inserted} (must be 0)`);

  await writeFile(
    path.join(root, 'bench/.out', `import-${rows}.json`),
    JSON.stringify({ rows, truth, runs, a, c, peakA, again: { ...again, report: reimport }, b, exact, wide, xlsx, revert: { ...revert, counts: reverted } }, null, 2),
  );
  if (!exact || reimport.inserted !== 0 || !sameCounts(wideReport, wideTruth) || !xlsx || !sameCounts(xlsxReport) || reverted.removed !== truth.distinct_valid) process.exitCode = 1;
} finally {
  await admin.end();
  await server.stop();
  await rm(path.join(work, 'db'), { recursive: true, force: true });
}

async function countRows(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM phone_numbers');
  await client.end();
  return Number(result.rows[0]!.n);
}
