import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

/** axe-core, Deque's accessibility engine, as the browser runs it. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What the audit holds against: WCAG 2.1 A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Puts axe into every page the context opens. An init script runs outside the page's own
 * Content-Security-Policy, which refuses inline and injected scripts: the pages are audited with
 * their real CSP in force.
 */
export async function withAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: AXE_SOURCE });
}

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * The page's serious and critical violations, one line each (rule, impact, where), so a failing
 * test says what to fix. Closed <details> are opened first, so what they hold is audited too.
 */
export async function seriousViolations(page: Page, label: string): Promise<string[]> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((details) => (details.open = true)));
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    TAGS,
  );
  // An audit that checked nothing (axe missing, the page blank) must not pass as a clean one.
  if (results.passes.length < 10) throw new Error(`${label}: axe passed only ${results.passes.length} rules; did the page load?`);
  return (results.violations as AxeViolation[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${label}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 5).join(', ')}`);
}
