import { createReadStream } from 'node:fs';
import { readCsvRows } from '../../src/import/read-csv-rows.js';
import { RowClassifier } from '../../src/import/row-classifier.js';

const file = process.argv[2]!;
const stage = process.argv[3] ?? 'read';
const classifier = new RowClassifier({ defaultRegion: 'ID', knownCategories: ['Pelanggan VIP', 'Pelanggan VIP 2', 'Pelanggan Regular', 'Prospek', 'Lead'], fileCategory: null, createCategories: false });
const started = performance.now();
let rows = 0;
let bytes = 0;
for await (const batch of readCsvRows(createReadStream(file)).rows) {
  rows += batch.length;
  if (stage === 'read') continue;
  bytes += classifier.classify(batch).length;
}
console.log(stage, rows, Math.round(performance.now() - started), 'ms', bytes);
