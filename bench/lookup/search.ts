import { CATEGORIES } from '../import/generate.js';
import { percentiles } from './load-generator.js';

/**
 * The search part of bench:lookup: fragments a user types (short and long digit runs, national
 * form, a full number, a category name, nothing-matches), one request at a time against the server
 * run.ts started, each kind `rounds` times (100: a p95 of 40 samples was the second-slowest one, and
 * moved by several ms from run to run).
 *
 * run.ts asks these right after the (a)/(b) rounds, before the phases that write (the replica's
 * base backup, the identities' 100,000 pairs). Asked after those, searches met their aftermath (a
 * checkpoint, autovacuum of the new rows): in one such run a whole number, a single index probe,
 * took up to 25 ms.
 */
export interface SearchBenchOptions {
  base: string;
  headers: Record<string, string>;
  /** Filed numbers are nationalNumber(0 … filed-1). */
  filed: number;
  nationalNumber(index: number): string;
  randomIndex(below: number): number;
  rounds: number;
}

export interface SearchKindResult {
  kind: string;
  p50: number;
  p95: number;
  max: number;
  /** The slowest terms, slowest first, to look into (the bench's own made-up numbers). */
  slowest: Array<{ term: string; ms: number }>;
}

export async function benchSearch(options: SearchBenchOptions): Promise<{ all: ReturnType<typeof percentiles> & { samples: number }; kinds: SearchKindResult[] }> {
  const searches: Array<{ kind: string; term: string }> = [];
  for (let i = 0; i < options.rounds; i += 1) {
    const national = options.nationalNumber(options.randomIndex(options.filed));
    searches.push(
      { kind: '4 digits', term: national.slice(2, 6) },
      { kind: '5 digits', term: national.slice(4, 9) },
      { kind: '6 digits', term: national.slice(1, 7) },
      { kind: '7 digits', term: national.slice(3, 10) },
      { kind: 'national start 0812-3456', term: `0${national.slice(0, 3)}-${national.slice(3, 7)}` },
      { kind: 'whole number +62…', term: `+62${national}` },
      i % 2 === 0
        ? { kind: 'category name', term: CATEGORIES[i % CATEGORIES.length]! }
        : { kind: 'no match', term: `9${String(options.randomIndex(1e9)).padStart(9, '0')}` },
    );
  }
  const times: number[] = [];
  const byKind = new Map<string, Array<{ term: string; ms: number }>>();
  for (const { kind, term } of searches) {
    const sent = performance.now();
    const response = await fetch(`${options.base}/v1/phone-numbers?limit=50&search=${encodeURIComponent(term)}`, { headers: options.headers });
    await response.json();
    const took = performance.now() - sent;
    if (response.status !== 200) throw new Error(`search ${term} answered ${response.status}`);
    times.push(took);
    byKind.set(kind, [...(byKind.get(kind) ?? []), { term, ms: took }]);
  }
  const kinds = [...byKind].map(([kind, samples]) => {
    const p = percentiles(samples.map((s) => s.ms));
    return { kind, p50: p.p50, p95: p.p95, max: p.max, slowest: [...samples].sort((x, y) => y.ms - x.ms).slice(0, 3) };
  });
  return { all: { ...percentiles(times), samples: times.length }, kinds };
}

export function reportSearch(result: Awaited<ReturnType<typeof benchSearch>>, ms: (value: number) => string): void {
  const { all, kinds } = result;
  console.log(`search, ${all.samples} queries one at a time: p50 ${ms(all.p50)}, p95 ${ms(all.p95)}, max ${ms(all.max)}  (target p95 < 15 ms)`);
  for (const k of kinds) {
    const slowest = k.slowest.map((s) => `${s.term} ${ms(s.ms)}`).join(', ');
    console.log(`  ${k.kind.padEnd(26)} p50 ${ms(k.p50)}, p95 ${ms(k.p95)}, max ${ms(k.max)}  (target p95 < 20 ms); slowest: ${slowest}`);
  }
}
