import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateImportFile, type GroundTruth } from '../../bench/import/generate.js';
import type { ServiceContext } from '../../src/context.js';
import { importCsv, type ImportCsvOptions } from '../../src/imports/pipeline/import-csv.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

// Several 25k-row chunks, so duplicates, lookups and retries cross chunk boundaries.
const ROWS = 80_000;

let db: TestDatabase;
let ctx: ServiceContext;
let dir: string;
let file: string;
let truth: GroundTruth;

const options: ImportCsvOptions = { source: 'cli', filename: 'generated.csv', onDuplicate: 'skip', dryRun: false, createCategories: false };

async function count(sql: string): Promise<number> {
  const [rows] = await db.sequelize.query(sql);
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { sequelize: db.sequelize, defaultRegion: 'ID' };
  dir = await mkdtemp(path.join(tmpdir(), 'wa-import-'));
  file = path.join(dir, 'generated.csv');
  truth = await generateImportFile(file, ROWS, 7);
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('importing a generated file across many chunks', () => {
  it('when imported, then every count equals the generator ground truth, per category too', async () => {
    const report = await importCsv(ctx, createReadStream(file), options);
    expect(report).toMatchObject({
      status: 'completed',
      rows_total: truth.rows,
      inserted: truth.distinct_valid,
      duplicates_in_file: truth.duplicates_in_file,
      invalid: truth.invalid,
      already_present: 0,
    });
    const [rows] = await db.sequelize.query(
      'SELECT c.name, count(*)::int AS n FROM phone_numbers p JOIN categories c ON c.id = p.category_id GROUP BY c.name',
    );
    const perCategory = Object.fromEntries((rows as Array<{ name: string; n: number }>).map((row) => [row.name, row.n]));
    expect(perCategory).toEqual(truth.per_category);
    expect(await count('SELECT count(*) AS n FROM import_rejections WHERE import_id = ' + report.id)).toBe(truth.invalid);
  });

  it('when imported again, then nothing is inserted and duplicates are still told apart from filed numbers', async () => {
    const report = await importCsv(ctx, createReadStream(file), options);
    expect(report).toMatchObject({
      inserted: 0,
      already_present: truth.distinct_valid,
      duplicates_in_file: truth.duplicates_in_file,
      invalid: truth.invalid,
    });
  });

  it('when imported again with move into one category, then every number moves once, and a dry run says so first', async () => {
    const moveOptions: ImportCsvOptions = { ...options, onDuplicate: 'move' };
    const body = (await import('node:fs/promises')).readFile(file, 'utf8');
    // Drop the category column so the whole file goes to "Lead".
    const oneCategory = (await body).replace(/,[^,\n]*\n/g, '\n').replace(/^nama,no_hp\n/, 'nama,no_hp\n');
    await writeFile(path.join(dir, 'lead.csv'), oneCategory);
    const notLead = truth.distinct_valid - truth.per_category.Lead!;

    const dry = await importCsv(ctx, createReadStream(path.join(dir, 'lead.csv')), { ...moveOptions, category: 'Lead', dryRun: true });
    expect(dry).toMatchObject({ inserted: 0, moved: notLead, already_present: truth.per_category.Lead, duplicates_in_file: truth.duplicates_in_file });

    const report = await importCsv(ctx, createReadStream(path.join(dir, 'lead.csv')), { ...moveOptions, category: 'Lead' });
    expect(report).toMatchObject({ inserted: 0, moved: notLead, already_present: truth.per_category.Lead, duplicates_in_file: truth.duplicates_in_file });
    expect(await count("SELECT count(*) AS n FROM phone_numbers p JOIN categories c ON c.id = p.category_id WHERE c.name <> 'Lead'")).toBe(0);
  });
});

describe('numbers filed before the import, met in the middle of a fresh file', () => {
  it('when a later chunk collides with them, then that chunk is retried and the counts stay exact', async () => {
    await db.sequelize.query('TRUNCATE phone_numbers');
    const numbers = Array.from({ length: 60_000 }, (_, i) => `0858${String(20_000_000 + i)}`);
    const prefiled = [numbers[30_000]!, numbers[30_001]!, numbers[55_555]!];
    for (const number of prefiled) {
      await db.sequelize.query("INSERT INTO phone_numbers (original_number, normalized_number, category_id) VALUES ($1, $2, 1)", {
        bind: [number, `+62${number.slice(1)}`],
      });
    }
    const csv = ['phone,category', ...numbers.map((number) => `${number},Lead`)].join('\n');
    const report = await importCsv(ctx, Readable.from([csv]), options);
    expect(report).toMatchObject({ inserted: 60_000 - 3, already_present: 3, duplicates_in_file: 0 });
    expect(await count('SELECT count(*) AS n FROM phone_numbers')).toBe(60_000);
  });
});

describe('two imports at once', () => {
  it('when two overlapping files are imported concurrently, then neither fails, nothing is filed twice and the counts add up', async () => {
    await db.sequelize.query('TRUNCATE phone_numbers');
    const rowsOf = (from: number, to: number) =>
      ['phone,category', ...Array.from({ length: to - from }, (_, i) => `0857${String(10_000_000 + from + i)},Prospek`)].join('\n');
    const [first, second] = await Promise.all([
      importCsv(ctx, Readable.from([rowsOf(0, 30_000)]), options),
      importCsv(ctx, Readable.from([rowsOf(20_000, 50_000)]), options),
    ]);
    expect(first.status).toBe('completed');
    expect(second.status).toBe('completed');
    expect(first.inserted + second.inserted).toBe(50_000);
    expect(first.already_present + second.already_present).toBe(10_000);
    expect(await count('SELECT count(*) AS n FROM phone_numbers')).toBe(50_000);
  });
});
