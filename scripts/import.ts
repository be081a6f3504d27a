import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Actor } from '../src/auth/roles.js';
import { openDatabaseFromEnv } from '../src/db/database.js';
import { readEnv } from '../src/env.js';
import { AppError } from '../src/errors.js';
import { ImportOptionsSchema, type ImportReport } from '../src/imports/imports.schemas.js';
import { importUpload, rejectionsCsv } from '../src/imports/imports.service.js';
import { describeIssues } from '../src/zod-issues.js';
import { createProgressDisplay } from './import-progress.js';
import { formatReport } from './import-report.js';

const USAGE = `usage: npm run import -- FILE.csv|FILE.xlsx [--sheet NAME] [--category NAME [--category-for-every-row]] [--on-duplicate skip|move] [--dry-run]
                       [--create-categories] [--phone-column H|N] [--category-column H|N] [--name-column H|N]
                       [--errors OUT.csv] [--json]`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      category: { type: 'string' },
      'category-for-every-row': { type: 'boolean', default: false },
      'on-duplicate': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'create-categories': { type: 'boolean', default: false },
      'phone-column': { type: 'string' },
      'category-column': { type: 'string' },
      'name-column': { type: 'string' },
      sheet: { type: 'string' },
      errors: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (args.values.help) fail(USAGE, 0);
const file = args.positionals[0];
if (!file || args.positionals.length > 1) fail(USAGE);

// The same zod schema validates the HTTP query, so the two cannot drift apart.
const parsed = ImportOptionsSchema.safeParse({
  category: args.values.category,
  category_for_every_row: String(args.values['category-for-every-row']),
  on_duplicate: args.values['on-duplicate'],
  dry_run: String(args.values['dry-run']),
  create_categories: String(args.values['create-categories']),
  phone_column: args.values['phone-column'],
  category_column: args.values['category-column'],
  name_column: args.values['name-column'],
  sheet: args.values.sheet,
});
if (!parsed.success) fail(describeIssues(parsed.error.issues, (path) => `--${String(path[0]).replaceAll('_', '-')}`).join('\n'));
const options = parsed.data;

let size: number;
try {
  size = (await stat(file)).size;
} catch {
  fail(`Cannot read ${file}`, 1);
}

const env = readEnv();
const database = await openDatabaseFromEnv(env, (message) => console.error(message));
// Whoever runs this command has the database itself in hand: the audit trail names them.
const actor: Actor = { keyId: null, name: `cli:${process.env.USER ?? 'unknown'}`, role: 'admin' };
const ctx = { sequelize: database.sequelize, defaultRegion: env.DEFAULT_REGION, actor };
const progress = createProgressDisplay(size);

let report: ImportReport | undefined;
let exitCode = 0;
try {
  report = await importUpload(
    ctx,
    { source: 'cli', file: createReadStream(file), filename: path.basename(file), bytesTotal: size, stallTimeoutMs: env.IMPORT_STALL_TIMEOUT_MS, onProgress: progress.update },
    options,
  );
  progress.stop();
  if (args.values.errors) await pipeline(Readable.from(rejectionsCsv(ctx, report.id)), createWriteStream(args.values.errors));
  console.log(args.values.json ? JSON.stringify(report, null, 2) : formatReport(report, { errorsFile: args.values.errors }));
} catch (error) {
  progress.stop();
  exitCode = 1;
  if (error instanceof AppError) {
    if (args.values.json) console.log(JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }, null, 2));
    console.error(`Import failed: ${error.message}`);
  } else {
    console.error(`Import failed: ${(error as Error).message}`);
  }
} finally {
  await database.close();
}
process.exit(exitCode);
