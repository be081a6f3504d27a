import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { servedOpenApiDocument } from './openapi-document.js';

/**
 * Lints the document GET /openapi.json serves (built in process, no server started) with Redocly's
 * recommended ruleset (redocly.yaml). Redocly exits 0 on warnings; here a warning fails as an error
 * does, so the document stays clean rather than slowly collecting them.
 */
const DOCUMENT = '.openapi/served.json';
mkdirSync('.openapi', { recursive: true });
writeFileSync(DOCUMENT, await servedOpenApiDocument());

const run = spawnSync('npx', ['--no-install', 'redocly', 'lint', '--format=json', '--max-problems=1000', DOCUMENT], { encoding: 'utf8' });
if (!run.stdout.trim().startsWith('{')) {
  console.error(run.stderr || run.stdout);
  process.exit(1);
}
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}
const report = JSON.parse(run.stdout) as LintReport;
for (const problem of report.problems) {
  console.error(`${problem.severity.padEnd(5)} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? '?'}`);
}
const { errors, warnings, ignored } = report.totals;
console.log(`openapi:lint (Redocly recommended) on ${DOCUMENT}: ${errors} errors, ${warnings} warnings, ${ignored} accepted in .redocly.lint-ignore.yaml`);
if (errors + warnings > 0) process.exit(1);
