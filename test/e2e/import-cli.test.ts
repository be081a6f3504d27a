import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmExport, wideHeader } from '../fixtures/wide-rows.js';
import { workbookBytes } from '../fixtures/workbook.js';
import { csvFile } from '../helpers/csv.js';
import { dashed, e164, international, uniqueMobile } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const root = path.resolve(import.meta.dirname, '../..');
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'wa-cli-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

function runImport(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url },
    encoding: 'utf8',
    // A stalled import must fail the test, not hang the suite.
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run import', () => {
  it('when the file imports, then it prints a summary with every count, writes the rejects and exits 0', async () => {
    const file = path.join(dir, 'contacts.csv');
    const budi = uniqueMobile();
    // Agus's cell is Budi's number written internationally: a duplicate in the file.
    await writeFile(file, csvFile([['nama', 'no_hp', 'kategori'], ['Budi', dashed(budi), 'Lead'], ['Siti', '0812', 'Lead'], ['Agus', international(budi), 'Prospek']], { separator: ';', lineEnd: '\r\n' }));
    const errors = path.join(dir, 'rejected.csv');
    const run = runImport(file, '--errors', errors);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Import #\d+ completed: contacts\.csv/);
    expect(run.stdout).toMatch(/rows read\s+3/);
    expect(run.stdout).toMatch(/inserted\s+1/);
    expect(run.stdout).toMatch(/duplicates in file\s+1/);
    expect(run.stdout).toMatch(/invalid\s+1/);
    expect(run.stdout).toContain('line 3: "0812" TOO_SHORT');
    expect(await readFile(errors, 'utf8')).toBe('line,value,reason,last_line\n3,0812,TOO_SHORT,\n');
  }, 60_000);

  it('when --json and --dry-run are given, then stdout is the report and nothing is written', async () => {
    const file = path.join(dir, 'dry.csv');
    const number = uniqueMobile();
    await writeFile(file, csvFile([['phone'], [dashed(number)]]));
    const run = runImport(file, '--json', '--dry-run', '--category', 'Lead');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ dry_run: true, inserted: 1, status: 'completed' });
    const [rows] = await db.sequelize.query('SELECT count(*)::int AS n FROM phone_numbers WHERE normalized_number = $1', { bind: [e164(number)] });
    expect((rows as Array<{ n: number }>)[0]!.n).toBe(0);
  }, 60_000);

  it('when the file fails as a whole, then it says why on stderr and exits 1', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'name,email\nBudi,b@example.com\n');
    const run = runImport(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No phone column');
  }, 60_000);

  it('when a CRM export has 6,000 rows of ~235 bytes, 2 KB rows or a 64 KB header, then each imports (none stalls)', async () => {
    const crm = path.join(dir, 'crm.csv');
    await writeFile(crm, crmExport(6000, 235, 6_281_265_000_000).csv);
    const wide = path.join(dir, 'wide.csv');
    await writeFile(wide, crmExport(6000, 2048, 6_281_266_000_000).csv);
    const header = path.join(dir, 'header.csv');
    await writeFile(header, `${wideHeader(64 * 1024)}\n${dashed(uniqueMobile())},Lead\n`);
    for (const [file, rows] of [[crm, 6000], [wide, 6000], [header, 1]] as const) {
      const run = runImport(file, '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', rows_total: rows, inserted: rows });
    }
  }, 120_000);

  it('when columns are named with --phone-column / --category-column / --name-column, then they are read', async () => {
    const file = path.join(dir, 'unusual.csv');
    const budi = uniqueMobile();
    await writeFile(file, csvFile([['Pelanggan', 'Kontak Utama', 'Grup'], ['Budi', dashed(budi), 'Lead']], { separator: ';' }));
    const run = runImport(file, '--json', '--phone-column', 'Kontak Utama', '--category-column', '3', '--name-column', 'Pelanggan');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ inserted: 1 });
    const [rows] = await db.sequelize.query('SELECT name FROM phone_numbers WHERE normalized_number = $1', { bind: [e164(budi)] });
    expect(rows).toEqual([{ name: 'Budi' }]);
  }, 60_000);

  it('when the file is an .xlsx workbook, then its first sheet (or --sheet) is imported', async () => {
    const file = path.join(dir, 'kontak.xlsx');
    const [onFirst, onSecond] = [uniqueMobile(), uniqueMobile()];
    await writeFile(file, await workbookBytes({ Satu: [['hp', 'kategori'], [Number(e164(onFirst).slice(1)), 'Lead']], Dua: [['hp', 'kategori'], [dashed(onSecond), 'Prospek']] }));
    const first = runImport(file, '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ filename: 'kontak.xlsx', rows_total: 1, inserted: 1 });
    const second = runImport(file, '--json', '--sheet', 'Dua');
    expect(JSON.parse(second.stdout)).toMatchObject({ rows_total: 1, inserted: 1 });
    const [rows] = await db.sequelize.query('SELECT normalized_number FROM phone_numbers WHERE normalized_number = ANY($1) ORDER BY 1', { bind: [[e164(onFirst), e164(onSecond)]] });
    expect(rows).toEqual([{ normalized_number: e164(onFirst) }, { normalized_number: e164(onSecond) }]);
  }, 60_000);

  it('when an option is wrong, then it says which and exits 2 before touching anything', () => {
    const run = runImport('x.csv', '--on-duplicate', 'replace');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--on-duplicate');
  });
});
