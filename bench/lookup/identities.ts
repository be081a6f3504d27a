/**
 * The sender-identity part of bench:lookup, kept apart from run.ts so that changes to the load
 * generator there need no change here: it is given a `load` function that runs one measured round.
 *
 *   1. registers LID → number pairs for filed numbers through POST /v1/identities, 10,000 a request
 *      (target: < 1 s a request);
 *   2. alternates rounds of lookups by JID (half filed, half not, as run.ts asks) and by LID (half
 *      known LIDs of filed numbers, half LIDs nobody taught), on the same server in the same run
 *      (target: a known-LID lookup costs ≤ 1.2× a JID lookup, i.e. LID req/s ≥ JID req/s / 1.2).
 */
export interface RoundResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export type Next = () => { path: string; expect: number };

export interface IdentityBenchOptions {
  base: string;
  headers: Record<string, string>;
  /** Filed numbers are nationalNumber(0 … filed-1); the rest are never filed. */
  filed: number;
  nationalNumber(index: number): string;
  /** Pairs to register (and LIDs to ask for), at most `filed`. */
  pairs: number;
  rounds: number;
  durationMs: number;
  /** The JID workload run.ts measures, so both kinds of lookup are asked the same way. */
  jidNext: Next;
  load(next: Next, durationMs: number): Promise<RoundResult>;
}

export interface IdentityBenchResult {
  registerMs: number[];
  rounds: Array<{ jid: RoundResult; lid: RoundResult }>;
}

const PAIRS_PER_REQUEST = 10_000;
/** LIDs made up for the bench: 15 digits, like real ones, none a phone number. */
const lidOf = (index: number) => `${100_000_000_000_000 + index}@lid`;

export async function benchIdentities(options: IdentityBenchOptions): Promise<IdentityBenchResult> {
  const pairs = Math.min(options.pairs, options.filed);
  const registerMs: number[] = [];
  for (let start = 0; start < pairs; start += PAIRS_PER_REQUEST) {
    const body = [];
    for (let i = start; i < Math.min(pairs, start + PAIRS_PER_REQUEST); i += 1) body.push({ id: lidOf(i), phone: `62${options.nationalNumber(i)}@s.whatsapp.net` });
    const sent = performance.now();
    const response = await fetch(`${options.base}/v1/identities`, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ pairs: body }),
    });
    const answer = (await response.json()) as { stored?: number; rejected?: unknown[] };
    registerMs.push(performance.now() - sent);
    if (response.status !== 200 || answer.rejected?.length) throw new Error(`POST /v1/identities answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  }

  let seed = 7;
  const random = (below: number) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed % below;
  };
  const lidNext: Next = () => {
    const known = (seed & 1) === 0;
    const index = known ? random(pairs) : pairs + random(1_000_000_000);
    return { path: `/v1/lookup/${encodeURIComponent(lidOf(index))}`, expect: known ? 200 : 404 };
  };

  await options.load(lidNext, 2000);
  const rounds: IdentityBenchResult['rounds'] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const jid = await options.load(options.jidNext, options.durationMs);
    const lid = await options.load(lidNext, options.durationMs);
    rounds.push({ jid, lid });
  }
  return { registerMs, rounds };
}

export function reportIdentities(result: IdentityBenchResult): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(
    `identities: ${result.registerMs.length} × POST /v1/identities of up to 10,000 pairs: median ${ms(median(result.registerMs))}, max ${ms(Math.max(...result.registerMs))}  (target < 1000 ms)`,
  );
  for (const [i, { jid, lid }] of result.rounds.entries()) {
    console.log(
      `  round ${i + 1}: by JID ${Math.round(jid.rps)} req/s p99 ${ms(jid.p99Ms)} errors ${jid.errors} | by LID ${Math.round(lid.rps)} req/s p99 ${ms(lid.p99Ms)} errors ${lid.errors} | cost LID/JID ${(jid.rps / lid.rps).toFixed(2)}`,
    );
  }
  const cost = median(result.rounds.map((r) => r.jid.rps / r.lid.rps));
  console.log(`lookup by LID (half known, half unknown) vs by JID: cost ratio ${cost.toFixed(2)} (median of rounds; target ≤ 1.2)`);
}
