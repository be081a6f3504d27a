import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadOptions, LoadResult } from './load-generator.js';

/** Paths drawn up front from the workload; wrk walks them at random, so 100k are plenty. */
const PATHS = 100_000;

/** wrk, the C load generator, when it is on the PATH: it costs the server a fraction of the CPU a Node client does. */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

// Each wrk thread reads the paths, sends them at random, and counts answers that are neither of the
// two a lookup gives (200 filed, 404 not filed) and the 200s; done() prints one JSON line.
const SCRIPT = `
local paths, threads = {}, {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  for line in io.lines(args[1]) do table.insert(paths, line) end
  unexpected, filed = 0, 0
  math.randomseed(os.time() + #threads * 7919)
end
function request() return wrk.format(nil, paths[math.random(#paths)]) end
function response(status)
  if status == 200 then filed = filed + 1 elseif status ~= 404 then unexpected = unexpected + 1 end
end
function done(summary, latency)
  local u, f = 0, 0
  for _, t in ipairs(threads) do u = u + t:get("unexpected"); f = f + t:get("filed") end
  local e = summary.errors
  io.write(string.format('\\nRESULT {"requests":%d,"duration_us":%d,"socket_errors":%d,"unexpected":%d,"filed":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, u, f,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;

/**
 * One round of load with wrk (1 thread, as the measurements): the same closed loop as the
 * Node generator (N connections, one request in flight each). Answers are counted by status: a
 * status other than 200/404, a socket error, or a share of 200s off the workload's by more than
 * 3 points counts as errors (wrk cannot tie an answer to its request).
 */
export async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const directory = await mkdtemp(path.join(tmpdir(), 'bench-wrk-'));
  try {
    const paths: string[] = [];
    let expectFiled = 0;
    for (let i = 0; i < PATHS; i += 1) {
      const next = options.next();
      paths.push(next.path);
      if (next.expect === 200) expectFiled += 1;
    }
    const pathsFile = path.join(directory, 'paths.txt');
    const scriptFile = path.join(directory, 'load.lua');
    await writeFile(pathsFile, paths.join('\n') + '\n');
    await writeFile(scriptFile, SCRIPT);
    const headerArgs = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const seconds = Math.max(1, Math.round(options.durationMs / 1000));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', ['-t1', `-c${options.connections}`, `-d${seconds}s`, '--timeout', '10s', ...headerArgs, '-s', scriptFile, options.base, '--', pathsFile]);
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stdout += chunk));
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited ${code}: ${stdout}`))));
    });
    const line = output.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`wrk printed no result: ${output}`);
    const r = JSON.parse(line.slice('RESULT '.length)) as Record<string, number>;
    const requests = r.requests!;
    const filedShareOff = requests > 0 && Math.abs(r.filed! / requests - expectFiled / PATHS) > 0.03;
    return {
      requests,
      errors: r.socket_errors! + r.unexpected! + (filedShareOff ? requests : 0),
      rps: requests / (r.duration_us! / 1e6),
      p50Ms: r.p50_us! / 1000,
      p99Ms: r.p99_us! / 1000,
      maxMs: r.max_us! / 1000,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
