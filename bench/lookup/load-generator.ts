import { Pool } from 'undici';

export interface LoadOptions {
  base: string;
  /** Concurrent connections, each with one request in flight at a time. */
  connections: number;
  durationMs: number;
  headers?: Record<string, string>;
  /** The next request: its path and the status code it must answer with. */
  next(): { path: string; expect: number };
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Requests per second over the measured window. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * A closed-loop load generator: N connections, each sends its next request as soon as the previous
 * answer is read. Latencies are kept whole (no histogram buckets), so p50/p99 are exact.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.base, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  async function loop(): Promise<void> {
    while (performance.now() < deadline) {
      const { path, expect } = options.next();
      const sent = performance.now();
      try {
        const response = await pool.request({ method: 'GET', path, headers: options.headers });
        await response.body.text();
        latencies.push(performance.now() - sent);
        if (response.statusCode !== expect) errors += 1;
      } catch {
        errors += 1;
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, loop));
  const elapsed = performance.now() - started;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / (elapsed / 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
  };
}

/** Exact percentiles of a few sequential timings (search, stats). */
export function percentiles(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}
