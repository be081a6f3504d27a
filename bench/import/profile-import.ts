import { createReadStream, statSync } from 'node:fs';
import { pino } from 'pino';
import { openDatabase } from '../../src/db/database.js';
import { importCsv } from '../../src/imports/imports.service.js';

import { ChunkLoader } from '../../src/import/chunk-loader.js';
import { RowClassifier } from '../../src/import/row-classifier.js';
const timers: Record<string, number> = {};
function timed(proto: any, name: string, label: string) {
  const original = proto[name];
  proto[name] = function (...args: unknown[]) {
    const t = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.finally(() => { timers[label] = (timers[label] ?? 0) + performance.now() - t; });
    timers[label] = (timers[label] ?? 0) + performance.now() - t;
    return result;
  };
}
timed(ChunkLoader.prototype, 'load', 'load');
timed(ChunkLoader.prototype, 'findExisting', 'findExisting');
timed(ChunkLoader.prototype, 'moveRows', 'moveRows');
timed(ChunkLoader.prototype, 'insertNew', 'insertNew');

timed(ChunkLoader.prototype, 'planAgainstDatabase', 'plan');
timed(RowClassifier.prototype, 'classify', 'classify');
const file = process.argv[2]!;
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '.data', migrate: true, log: () => {} });
if (process.argv[3] === 'truncate') await db.sequelize.query('TRUNCATE phone_numbers');
let peakRss = 0;
console.log('baseline rss MB', Math.round(process.memoryUsage().rss / 1048576));
let atPeak: NodeJS.MemoryUsage | undefined;
const sampler = setInterval(() => { const m = process.memoryUsage(); if (m.rss > peakRss) { peakRss = m.rss; atPeak = m; } }, 100);
const started = performance.now();
const report = await importCsv({ sequelize: db.sequelize, defaultRegion: 'ID' }, createReadStream(file), {
  source: 'cli', filename: file, onDuplicate: 'skip', dryRun: false, createCategories: false, bytesTotal: statSync(file).size,
});
clearInterval(sampler);
console.log(Object.fromEntries(Object.entries(atPeak!).map(([k, v]) => [k, Math.round(v / 1048576)])));
console.log(JSON.stringify({ ms: Math.round(performance.now() - started), inserted: report.inserted, already: report.already_present, peakRssMb: Math.round(peakRss / 1048576), heapMb: Math.round(process.memoryUsage().heapUsed / 1048576), timers: Object.fromEntries(Object.entries(timers).map(([k, v]) => [k, Math.round(v)])) }));
await db.close();
void pino;
